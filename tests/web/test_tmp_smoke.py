import re
def test_smoke(client, people):
    r = client.post("/login", data={"username": "manager", "password": "secret123"})
    assert r.status_code == 302, r.data[:2000]
    for url in ["/v2/journals?journalId=deals-journal", "/deals/new"]:
        r = client.get(url); assert r.status_code == 200, (url, r.data.decode()[:3000])
    r = client.post("/deals/new", data={"company": "ООО Тест", "budget": "1000"})
    assert r.status_code == 302, r.data.decode()[:3000]
    for url in ["/v2/journals?journalId=deals-journal", "/v2/journals?journalId=deals-journal&viewMode=kanban",
                "/deals/1", "/deals/1/edit", "/tasks", "/tasks/group", "/v2/journals/export.csv", "/v2/journals/export.xlsx",
                "/v2/journals/kanban/column?column=new&offset=0"]:
        r = client.get(url); assert r.status_code == 200, (url, r.data.decode()[:3000])

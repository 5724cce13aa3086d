"""Directories for admins: counterparties and sources — list, create, edit, deactivate."""
import re


def test_counterparties(as_user):
    admin = as_user("admin")
    bad = admin.post("/directories/counterparties/new", data={"name": "ООО «Ромашка»", "inn": "1234567890"})
    assert bad.status_code == 422 and "неверный ИНН" in bad.get_data(as_text=True)
    with_inn = {"name": "ООО «Ромашка»", "inn": "7707083893"}
    assert admin.post("/directories/counterparties/new", data={**with_inn, "kpp": "770701001"}).status_code == 302
    twin = admin.post("/directories/counterparties/new", data=with_inn)
    assert twin.status_code == 422 and "контрагент с таким ИНН уже есть" in twin.get_data(as_text=True)
    html = admin.get("/directories/counterparties").get_data(as_text=True)
    counterparty_id = re.search(r'/directories/counterparties/(\d+)">ООО «Ромашка»', html).group(1)
    assert admin.post(f"/directories/counterparties/{counterparty_id}",
                      data={"name": "ООО «Ромашка-2»", "inn": "7707083893"}).status_code == 302
    html = admin.get("/directories/counterparties").get_data(as_text=True)
    assert "Ромашка-2" in html and 'class="inactive"' in html
    assert as_user("manager").get("/deals/counterparties.json?q=Ромашка").json == []


def test_sources(as_user):
    admin = as_user("admin")
    assert admin.post("/directories/sources", data={"name": "Выставка"}).status_code == 302
    duplicate = admin.post("/directories/sources", data={"name": "Выставка"})
    assert duplicate.status_code == 422 and "источник с таким названием уже есть" in duplicate.get_data(as_text=True)
    html = admin.get("/directories/sources").get_data(as_text=True)
    source_id = re.search(r'id="source-(\d+)">\s*<input type="hidden" name="csrf_token" value="[^"]*"></form>\s*'
                          r'\s*<input name="name" value="Выставка"', html).group(1)
    for name, says in (("Сайт", "источник с таким названием уже есть"), ("  ", "обязательное поле")):
        refused = admin.post(f"/directories/sources/{source_id}", data={"name": name, "active": "1"})
        page = refused.get_data(as_text=True)
        assert refused.status_code == 422 and f'data-source="{source_id}">{says}<' in page, name
        assert f'<input name="name" value="{name}" form="source-{source_id}"' in page  # what was typed stays
    assert "Выставка" in admin.get("/directories/sources").get_data(as_text=True)  # nothing was changed
    assert admin.post(f"/directories/sources/{source_id}", data={"name": "Выставка 2027"}).status_code == 302
    form = as_user("manager").get("/deals/new").get_data(as_text=True)
    assert "Выставка" not in form  # deactivated: no longer offered

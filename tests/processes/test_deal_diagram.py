"""bpmn/deal.bpmn as deployed: the issue's eleven statuses, in order, with labels, stages and lanes."""
from processes import statuses

STATUSES = [
    ("new", "Не обработана", "0% Обработка", "manager"),
    ("firstContact", "Первичный контакт", "20% Квалификация", "manager"),
    ("identifyNeeds", "Сбор потребностей", "20% Квалификация", "manager"),
    ("presentation", "Презентация", "40% Развитие", "manager"),
    ("offerPreparation", "Подготовка КП", "40% Развитие", "manager"),
    ("prototype", "Прототип", "40% Развитие", "manager"),
    ("decision", "Принятие решения", "60% Подтверждение", "director"),
    ("completed", "Завершена", "100% Победа", None),
    ("pause", "Пауза", "Отказ/Пауза", "manager"),
    ("refusal", "Отказ", "Отказ/Пауза", "manager"),
    ("old", "Исторические заявки", None, "manager"),
]


def test_the_statuses_labels_stages_and_lanes(ctx):
    model = statuses.current_model()
    got = [(s.code, s.label, s.stage or None, s.lane) for s in model.statuses]
    expected = {code: (label, stage) for code, label, stage, _lane in STATUSES}
    assert [code for code, *_ in got] == [code for code, *_ in STATUSES]
    for code, label, stage, lane in got:
        assert (label, stage if code != "old" else None) == expected[code], code
    lanes = {code: lane for code, _label, _stage, lane in got}
    assert lanes["decision"] == "director"
    assert all(lanes[code] == "manager" for code, *_ in STATUSES if code not in ("decision", "completed", "old"))
    assert [s.code for s in model.board] == [code for code, *_ in STATUSES if code != "old"]


def test_only_the_director_reaches_completed(ctx):
    model = statuses.current_model()
    reaching = [s.code for s in model.statuses if "completed" in model.allowed(s.code)]
    assert reaching == ["decision"]
    assert set(model.allowed("decision")) >= {"completed", "refusal", "pause", "offerPreparation"}

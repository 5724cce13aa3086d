"""Users keep hashed passwords and digested tokens; counterparties check the INN checksum."""
import pytest
from sqlalchemy import select

from engine.db import db
from processes import directories, users
from processes.errors import ValidationError
from processes.models import Source, User

# Real INNs with correct checksums: companies (10 digits) and persons (12 digits).
VALID_INNS = ["7707083893",    # ПАО Сбербанк
              "7728168971",    # АО «Альфа-Банк»
              "7702070139",    # Банк ВТБ
              "500100732259",  # a person's INN, checksum-valid
              "773370857141"]
INVALID_INNS = ["7707083894", "7728168970", "500100732250", "500100732269", "770708389", "77070838933",
                "77O7083893", "", "0000000001"]


@pytest.mark.parametrize("inn", VALID_INNS)
def test_valid_inns(inn):
    assert directories.inn_is_valid(inn)


@pytest.mark.parametrize("inn", INVALID_INNS)
def test_invalid_inns(inn):
    assert not directories.inn_is_valid(inn)


def test_counterparty_refuses_a_bad_inn_and_kpp(ctx):
    with pytest.raises(ValidationError) as caught:
        directories.create_counterparty("ООО «Ошибка»", inn="7707083894", kpp="12345")
    assert set(caught.value.errors) == {"inn", "kpp"}
    row = directories.create_counterparty("ПАО Сбербанк", inn="7707083893", kpp="773601001")
    assert row.id and row.inn == "7707083893"
    with pytest.raises(ValidationError) as caught:
        directories.create_counterparty("Дубликат", inn="7707083893")
    assert "inn" in caught.value.errors


def test_default_sources_are_seeded(ctx):
    names = db.session.scalars(select(Source.name).order_by(Source.id)).all()
    assert names == ["Запрос демо", "Консультация", "Прайс", "Облако", "Сообщество", "E-mail", "Телефон",
                     "Сарафанное радио", "Другое", "Сайт"]  # the spec platform's list, plus Сайт


def test_passwords_and_tokens_are_not_stored_in_clear(ctx):
    user, _ = users.create_user("anna", "manager", "correct horse", "Анна")
    token = users.issue_token("anna")
    db.session.commit()
    raw = db.session.execute(select(User.__table__.c.password_hash, User.__table__.c.token_hash)
                             .where(User.id == user.id)).one()
    assert "correct horse" not in raw.password_hash and raw.password_hash.count("$") >= 2
    assert token not in raw.token_hash
    assert users.authenticate("anna", "correct horse").id == user.id
    assert users.authenticate("anna", "wrong") is None
    assert users.by_token(token).id == user.id and users.by_token("x" + token) is None
    other, _ = users.create_user("boris", "manager", "correct horse")
    assert other.password_hash != user.password_hash  # salted


@pytest.mark.parametrize("args, field", [(("", "manager", "secret123"), "username"),
                                         (("ivan", "boss", "secret123"), "role"),
                                         (("ivan", "manager", "123"), "password")])
def test_user_validation(ctx, args, field):
    with pytest.raises(ValidationError) as caught:
        users.create_user(*args)
    assert field in caught.value.errors

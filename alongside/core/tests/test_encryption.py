import copy
import pickle
from collections.abc import Callable, Iterator
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection, models
from django.forms import modelform_factory
from django.test import override_settings
from django.test.utils import isolate_apps

from alongside.core import encryption, field_keys
from alongside.core.encryption import FieldDecryptionError, UnreadableValue, is_unreadable
from alongside.core.fields import EncryptedCharField, EncryptedTextField
from alongside.core.management.commands import list_unreadable_fields, rotate_field_keys
from alongside.core.models import FieldKeyCheck

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()
KEY_C = Fernet.generate_key().decode()


def read_raw(model: type[models.Model], pk: int, field_name: str) -> str:
    """The stored ciphertext, read past the field so nothing is decrypted."""
    field = model._meta.get_field(field_name)
    assert isinstance(field, models.Field)
    assert field.column
    column = field.column
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {connection.ops.quote_name(column)} FROM {table} WHERE id = %s",  # noqa: S608
            [pk],
        )
        return str(cursor.fetchone()[0])


@pytest.fixture
def secret_note_model(transactional_db: None) -> Iterator[type[models.Model]]:
    """A throwaway model with encrypted fields, its table created for this test only."""
    with isolate_apps("alongside.core"):

        class SecretNote(models.Model):
            note = EncryptedTextField(blank=True)
            email = EncryptedCharField(null=True, blank=True)

            class Meta:
                app_label = "core"

            def __str__(self) -> str:
                return f"note {self.pk}"

        with connection.schema_editor() as editor:
            editor.create_model(SecretNote)
        try:
            yield SecretNote
        finally:
            with connection.schema_editor() as editor:
                editor.delete_model(SecretNote)


def test_a_value_round_trips_through_the_field() -> None:
    field = EncryptedTextField()

    stored = field.get_prep_value("Has lived with MS since 2009")

    assert stored != "Has lived with MS since 2009"
    assert field.from_db_value(stored, None, connection) == "Has lived with MS since 2009"  # type: ignore[arg-type]


def test_empty_and_missing_values_are_stored_as_they_are() -> None:
    field = EncryptedTextField()

    assert field.get_prep_value("") == ""
    assert field.get_prep_value(None) is None
    assert field.from_db_value(None, None, connection) is None  # type: ignore[arg-type]


def test_the_same_value_encrypts_differently_each_time() -> None:
    field = EncryptedTextField()

    assert field.get_prep_value("alex@example.org") != field.get_prep_value("alex@example.org")


def test_a_value_written_with_an_old_key_is_read_while_that_key_follows_the_new_one() -> None:
    field = EncryptedTextField()
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_A]):
        stored = field.get_prep_value("caregiver for a parent")

    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_B, KEY_A]):
        assert field.from_db_value(stored, None, connection) == "caregiver for a parent"  # type: ignore[arg-type]


def test_a_value_no_configured_key_opens_reads_as_the_marker_never_ciphertext() -> None:
    field = EncryptedTextField()
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_A]):
        stored = field.get_prep_value("crisis details")

    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_C]):
        value = field.from_db_value(stored, None, connection)  # type: ignore[arg-type]

    assert is_unreadable(value)
    assert value == "cannot be read: key missing"
    assert stored not in f"{value} {value!r} {value!s}"


def test_the_marker_is_shown_in_the_readers_language(monkeypatch: pytest.MonkeyPatch) -> None:
    french = {"cannot be read: key missing": "illisible : clé manquante"}
    monkeypatch.setattr(encryption, "gettext", lambda message: french[message])

    assert UnreadableValue("token") == "illisible : clé manquante"


def test_decrypt_itself_still_refuses_a_value_no_key_opens() -> None:
    with pytest.raises(FieldDecryptionError):
        encryption.decrypt("plain text")


def test_a_value_that_is_not_ciphertext_reads_as_the_marker() -> None:
    value = EncryptedTextField().from_db_value("plain text", None, connection)  # type: ignore[arg-type]

    assert is_unreadable(value)


def test_an_unreadable_value_is_written_back_as_it_was_stored() -> None:
    field = EncryptedTextField()

    assert (
        field.get_prep_value(UnreadableValue("gAAAA-the-stored-token")) == "gAAAA-the-stored-token"
    )


@pytest.mark.parametrize(
    "duplicate",
    [copy.copy, copy.deepcopy, lambda value: pickle.loads(pickle.dumps(value))],  # noqa: S301
)
def test_a_copied_or_pickled_unreadable_value_keeps_the_stored_ciphertext(
    duplicate: Callable[[UnreadableValue], UnreadableValue],
) -> None:
    copied = duplicate(UnreadableValue("gAAAA-the-stored-token"))

    assert is_unreadable(copied)
    assert copied.token == "gAAAA-the-stored-token"


def test_no_keys_at_all_refuses_to_encrypt() -> None:
    from django.core.exceptions import ImproperlyConfigured

    with override_settings(FIELD_ENCRYPTION_KEYS=[]), pytest.raises(ImproperlyConfigured):
        encryption.encrypt("anything")


def test_is_valid_key_accepts_fernet_keys_only() -> None:
    assert encryption.is_valid_key(KEY_A)
    assert not encryption.is_valid_key("not-a-key")
    assert not encryption.is_valid_key("")


@pytest.mark.parametrize("lookup", ["exact", "iexact", "contains", "icontains", "startswith", "in"])
def test_encrypted_fields_cannot_be_searched(lookup: str) -> None:
    with pytest.raises(TypeError, match="cannot be searched"):
        EncryptedTextField().get_lookup(lookup)


def test_encrypted_fields_can_be_tested_for_null() -> None:
    assert EncryptedCharField().get_lookup("isnull") is not None


def test_filtering_a_model_on_an_encrypted_field_is_refused(
    secret_note_model: type[models.Model],
) -> None:
    with pytest.raises(TypeError, match="cannot be searched"):
        secret_note_model.objects.filter(email="alex@example.org")  # type: ignore[attr-defined]
    assert secret_note_model.objects.filter(email__isnull=True).count() == 0  # type: ignore[attr-defined]


def test_values_are_stored_encrypted_and_read_back_in_clear(
    secret_note_model: type[models.Model],
) -> None:
    note = secret_note_model.objects.create(note="first contact went well", email="a@b.example")  # type: ignore[attr-defined]

    assert "first contact" not in read_raw(secret_note_model, note.pk, "note")
    reloaded = secret_note_model.objects.get(pk=note.pk)  # type: ignore[attr-defined]
    assert (reloaded.note, reloaded.email) == ("first contact went well", "a@b.example")


def test_reading_a_row_with_the_wrong_key_shows_the_marker_and_the_rest_of_the_row(
    secret_note_model: type[models.Model],
) -> None:
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_A]):
        note = secret_note_model.objects.create(note="private")  # type: ignore[attr-defined]

    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_C]):
        reloaded = secret_note_model.objects.get(pk=note.pk)  # type: ignore[attr-defined]

    assert is_unreadable(reloaded.note)
    assert reloaded.pk == note.pk


def test_saving_a_row_with_an_unreadable_value_keeps_the_stored_ciphertext(
    secret_note_model: type[models.Model],
) -> None:
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_A]):
        note = secret_note_model.objects.create(note="private")  # type: ignore[attr-defined]
    stored = read_raw(secret_note_model, note.pk, "note")

    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_C, KEY_B]):
        reloaded = secret_note_model.objects.get(pk=note.pk)  # type: ignore[attr-defined]
        reloaded.email = "new@x.example"
        reloaded.save()

    assert read_raw(secret_note_model, note.pk, "note") == stored
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_A, KEY_C]):
        again = secret_note_model.objects.get(pk=note.pk)  # type: ignore[attr-defined]
    assert (again.note, again.email) == ("private", "new@x.example")


def test_a_form_that_sends_the_marker_back_keeps_the_stored_ciphertext(
    secret_note_model: type[models.Model],
) -> None:
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_A]):
        note = secret_note_model.objects.create(note="private")  # type: ignore[attr-defined]
    stored = read_raw(secret_note_model, note.pk, "note")
    form_class = modelform_factory(secret_note_model, fields=["note", "email"])

    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_C]):
        reloaded = secret_note_model.objects.get(pk=note.pk)  # type: ignore[attr-defined]
        form = form_class({"note": str(reloaded.note), "email": "new@x.example"}, instance=reloaded)
        assert form.is_valid(), form.errors
        form.save()

    assert read_raw(secret_note_model, note.pk, "note") == stored


def test_rotation_leaves_a_value_no_key_opens_as_it_was_stored(
    secret_note_model: type[models.Model],
) -> None:
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_C]):
        lost = secret_note_model.objects.create(note="written with a lost key")  # type: ignore[attr-defined]
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_A]):
        kept = secret_note_model.objects.create(note="kept")  # type: ignore[attr-defined]
    stored = read_raw(secret_note_model, lost.pk, "note")

    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_B, KEY_A]):
        rotate_field_keys.rotate_model(secret_note_model, ["note", "email"])

    assert read_raw(secret_note_model, lost.pk, "note") == stored
    raw = read_raw(secret_note_model, kept.pk, "note")
    assert Fernet(KEY_B.encode()).decrypt(raw.encode()).decode() == "kept"


def test_rotation_re_encrypts_every_row_with_the_new_primary_key(
    secret_note_model: type[models.Model],
) -> None:
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_A]):
        rows = [
            secret_note_model.objects.create(note=f"note {number}", email=f"p{number}@x.example")  # type: ignore[attr-defined]
            for number in range(rotate_field_keys.BATCH_SIZE + 3)
        ]
        empty = secret_note_model.objects.create(note="", email=None)  # type: ignore[attr-defined]

    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_B, KEY_A]):
        assert secret_note_model.objects.get(pk=rows[0].pk).note == "note 0"  # type: ignore[attr-defined]
        rewritten = rotate_field_keys.rotate_model(secret_note_model, ["note", "email"])

    assert rewritten == len(rows) + 1
    only_b = Fernet(KEY_B.encode())
    for number in (0, rotate_field_keys.BATCH_SIZE, len(rows) - 1):
        raw = read_raw(secret_note_model, rows[number].pk, "note")
        assert only_b.decrypt(raw.encode()).decode() == f"note {number}"
    assert read_raw(secret_note_model, empty.pk, "note") == ""
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_B]):
        assert secret_note_model.objects.get(pk=rows[-1].pk).email == f"p{len(rows) - 1}@x.example"  # type: ignore[attr-defined]


def test_rotate_field_keys_command_reports_each_model(
    secret_note_model: type[models.Model], monkeypatch: pytest.MonkeyPatch
) -> None:
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_A]):
        secret_note_model.objects.create(note="one")  # type: ignore[attr-defined]
        secret_note_model.objects.create(note="two")  # type: ignore[attr-defined]
    monkeypatch.setattr(
        rotate_field_keys,
        "models_with_encrypted_fields",
        lambda: [(secret_note_model, ["note", "email"])],
    )
    output = StringIO()

    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_B, KEY_A]):
        call_command("rotate_field_keys", stdout=output)

    assert "core.SecretNote: 2 rows re-encrypted (note, email)" in output.getvalue()
    assert "Done: 2 rows re-encrypted." in output.getvalue()


def test_rotate_field_keys_writes_the_key_check_value_under_the_new_key(
    secret_note_model: type[models.Model], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rotate_field_keys, "models_with_encrypted_fields", list)
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_A]):
        field_keys.write_key_check()

    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_B, KEY_A]):
        call_command("rotate_field_keys", stdout=StringIO())

    token = FieldKeyCheck.objects.get().token
    assert Fernet(KEY_B.encode()).decrypt(token.encode()).decode() == field_keys.KEY_CHECK_PLAINTEXT


def test_list_unreadable_fields_names_the_model_and_primary_keys_and_exits_1(
    secret_note_model: type[models.Model], monkeypatch: pytest.MonkeyPatch
) -> None:
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_C]):
        lost = [secret_note_model.objects.create(note=f"lost {n}") for n in range(2)]  # type: ignore[attr-defined]
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_A]):
        secret_note_model.objects.create(note="kept", email="a@b.example")  # type: ignore[attr-defined]
    monkeypatch.setattr(
        list_unreadable_fields,
        "models_with_encrypted_fields",
        lambda: [(secret_note_model, ["note", "email"])],
    )
    output = StringIO()

    with (
        override_settings(FIELD_ENCRYPTION_KEYS=[KEY_A]),
        pytest.raises(CommandError) as refused,
    ):
        call_command("list_unreadable_fields", stdout=output)

    assert refused.value.returncode == 1
    assert output.getvalue() == (
        f"core.SecretNote: 2 unreadable rows (note); pk {lost[0].pk}, {lost[1].pk}\n"
    )
    assert "2 rows cannot be read" in str(refused.value)


def test_list_unreadable_fields_says_so_when_every_value_opens(
    secret_note_model: type[models.Model], monkeypatch: pytest.MonkeyPatch
) -> None:
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_A]):
        secret_note_model.objects.create(note="kept")  # type: ignore[attr-defined]
    monkeypatch.setattr(
        list_unreadable_fields,
        "models_with_encrypted_fields",
        lambda: [(secret_note_model, ["note", "email"])],
    )
    output = StringIO()

    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_B, KEY_A]):
        call_command("list_unreadable_fields", stdout=output)

    assert "Every encrypted value opens" in output.getvalue()


def test_the_command_finds_every_installed_model_with_encrypted_fields() -> None:
    found = dict(field_keys.models_with_encrypted_fields())

    for model in apps.get_models():
        names = field_keys.encrypted_field_names(model)
        assert (model in found) == bool(names)


@pytest.mark.django_db
def test_rotation_re_encrypts_peer_contact_details() -> None:
    """Against the real intake.Peer model."""
    peer_model = apps.get_model("intake", "Peer")
    program_model = apps.get_model("programs", "Program")
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_A]):
        program = program_model.objects.create(slug="rotation", name="Rotation")
        peer = peer_model.objects.create(program=program, first_name="Sam", email="sam@x.example")
    output = StringIO()

    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_B, KEY_A]):
        call_command("rotate_field_keys", stdout=output)

    assert "intake.Peer: 1 rows re-encrypted" in output.getvalue()
    raw = read_raw(peer_model, peer.pk, "email")
    assert Fernet(KEY_B.encode()).decrypt(raw.encode()).decode() == "sam@x.example"
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_B]):
        assert peer_model.objects.get(pk=peer.pk).email == "sam@x.example"

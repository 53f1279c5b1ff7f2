"""The authenticator apps' secrets are encrypted with the field keys and rotate with them; one
stored in the clear before still works, and one under a retired key keeps its owner out with a
clear message, never a 500."""

import io

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import generate_totp_secret
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from alongside.accounts.factories import DEMO_PASSWORD, authenticator_code, code_for_secret
from alongside.accounts.mfa import read_secret
from alongside.accounts.models import User
from alongside.core import encryption
from alongside.core.encryption import FieldDecryptionError

NEW_KEY = Fernet.generate_key().decode()
RETIRED_KEY = Fernet.generate_key().decode()
UNREADABLE = "this site no longer holds the key your authenticator app was saved with"

pytestmark = pytest.mark.django_db


def stored_secret(user: User) -> str:
    secret: str = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data["secret"]
    return secret


def store_secret(user: User, value: str) -> None:
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    authenticator.data = {**authenticator.data, "secret": value}
    authenticator.save()


def sign_in(client, user: User, code: str):
    second = client.post(reverse("account_login"), {"login": user.email, "password": DEMO_PASSWORD})
    assert second["Location"] == reverse("mfa_authenticate")
    return client.post(second["Location"], {"code": code})


def is_signed_in(client) -> bool:
    return bool(client.get(reverse("intake:queue")).status_code == 200)


def test_an_authenticator_apps_secret_is_stored_encrypted_never_in_the_clear(coordinator_a):
    stored = stored_secret(coordinator_a)

    assert encryption.is_token(stored)
    secret = encryption.decrypt(stored)
    assert secret != stored
    assert secret not in stored
    assert len(secret) == len(generate_totp_secret())


def test_the_recovery_codes_seed_is_stored_encrypted_too(coordinator_a):
    codes = RecoveryCodes.activate(coordinator_a)

    assert encryption.is_token(codes.instance.data["seed"])
    assert len(codes.get_unused_codes()) == 10


def test_a_coordinator_signs_in_with_a_code_from_the_encrypted_secret(client, coordinator_a):
    typed = sign_in(client, coordinator_a, authenticator_code(coordinator_a))

    assert typed.status_code == 302
    assert is_signed_in(client)


def test_a_secret_stored_in_the_clear_before_still_signs_in(client, coordinator_a):
    plain = generate_totp_secret()
    store_secret(coordinator_a, plain)

    sign_in(client, coordinator_a, code_for_secret(plain))

    assert is_signed_in(client)


def test_rotate_field_keys_encrypts_a_secret_stored_in_the_clear(client, coordinator_a):
    plain = generate_totp_secret()
    store_secret(coordinator_a, plain)

    call_command("rotate_field_keys", stdout=io.StringIO())

    stored = stored_secret(coordinator_a)
    assert encryption.is_token(stored)
    assert encryption.decrypt(stored) == plain
    sign_in(client, coordinator_a, code_for_secret(plain))
    assert is_signed_in(client)


def test_rotate_field_keys_re_encrypts_secrets_with_the_new_first_key(client, coordinator_a):
    secret = encryption.decrypt(stored_secret(coordinator_a))
    output = io.StringIO()

    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY, *settings.FIELD_ENCRYPTION_KEYS]):
        call_command("rotate_field_keys", stdout=output)

    assert "mfa.Authenticator: 1 rows re-encrypted" in output.getvalue()
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY]):
        assert encryption.decrypt(stored_secret(coordinator_a)) == secret
        sign_in(client, coordinator_a, code_for_secret(secret))
        assert is_signed_in(client)


def test_a_secret_under_a_retired_key_keeps_its_owner_out_with_a_clear_message(
    client, coordinator_a
):
    with override_settings(FIELD_ENCRYPTION_KEYS=[RETIRED_KEY]):
        secret = generate_totp_secret()
        store_secret(coordinator_a, encryption.encrypt(secret))

    typed = sign_in(client, coordinator_a, code_for_secret(secret))

    assert typed.status_code == 200
    assert UNREADABLE in typed.content.decode()
    assert not is_signed_in(client)


def test_rotation_leaves_a_secret_under_a_retired_key_as_it_was_and_lists_it(coordinator_a):
    with override_settings(FIELD_ENCRYPTION_KEYS=[RETIRED_KEY]):
        token = encryption.encrypt(generate_totp_secret())
    store_secret(coordinator_a, token)
    authenticator = Authenticator.objects.get(user=coordinator_a, type=Authenticator.Type.TOTP)
    errors = io.StringIO()

    call_command("rotate_field_keys", stdout=io.StringIO(), stderr=errors)

    assert stored_secret(coordinator_a) == token
    assert "1 rows hold values no configured key opens" in errors.getvalue()
    listed = io.StringIO()
    with pytest.raises(CommandError):
        call_command("list_unreadable_fields", stdout=listed)
    assert f"mfa.Authenticator: 1 unreadable rows; pk {authenticator.pk}" in listed.getvalue()


def test_a_token_under_a_retired_key_is_never_taken_for_a_secret_stored_in_the_clear():
    with override_settings(FIELD_ENCRYPTION_KEYS=[RETIRED_KEY]):
        token = encryption.encrypt(generate_totp_secret())

    with pytest.raises(FieldDecryptionError):
        read_secret(token)


@pytest.mark.parametrize("stored", ["", "not a secret", "gAAAAAtruncated", "JBSWY3DP!"])
def test_a_stored_value_that_is_neither_a_token_nor_a_plain_secret_is_refused(stored):
    with pytest.raises(FieldDecryptionError):
        read_secret(stored)

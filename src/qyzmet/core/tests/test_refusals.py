"""A refusal's code carries its messages and the HTTP status of the API's answer."""

import pytest

from qyzmet.core.refusals import Refused, register, registered_codes


def test_the_status_is_registered_with_the_code():
    import qyzmet.api.errors  # noqa: F401  (registers the API's codes)

    assert Refused("permission_denied").status == 403
    assert Refused("not_found").status == 404
    assert Refused("wrong_step").status == 409
    assert Refused("idempotency_key_reused").status == 422
    assert Refused("invalid_iin").status == 400  # the default: the input is wrong
    assert all(400 <= message.status < 500 for message in registered_codes().values())


def test_a_code_registered_again_with_another_status_is_an_error():
    texts = {"ru": "Тест.", "kk": "Тест.", "en": "Test."}
    register("test_status_once", **texts, status=409)
    register("test_status_once", **texts, status=409)  # the same registration: harmless
    with pytest.raises(ValueError, match="registered twice"):
        register("test_status_once", **texts, status=400)
    with pytest.raises(ValueError, match="4xx"):
        register("test_status_server", **texts, status=500)

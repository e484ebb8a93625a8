"""The signing key shared by several hosts (LERNPFAD_CREDENTIAL_KEY_FILE): every app names the
same file and publishes the same key; a named file that is missing is never made anew."""

import pytest
from joserfc.jwk import RSAKey

from lernpfad.certification.credentials import keys


@pytest.fixture
def shared_key(tmp_path):
    """A key file outside every instance folder, as an operator puts it on each host."""
    path = tmp_path / "shared" / "credential_signing_key.pem"
    path.parent.mkdir()
    key = RSAKey.generate_key(2048, private=True)
    path.write_bytes(key.as_pem(private=True))
    return path, key.thumbprint()


def test_apps_with_their_own_instance_folders_sign_with_the_shared_key(
    app_factory, tmp_path, shared_key
):
    path, thumbprint = shared_key
    published = []
    for host in ("a", "b"):
        app = app_factory(CREDENTIAL_KEY_FILE=str(path))
        app.instance_path = str(tmp_path / f"instance-{host}")
        (tmp_path / f"instance-{host}").mkdir()
        with app.app_context():
            assert keys.thumbprint() == thumbprint
        published.append(app.test_client().get("/.well-known/jwks.json").get_json())
        assert not keys.key_path(app.instance_path).exists()  # no key of its own
    assert published[0] == published[1]
    assert published[0]["keys"][0]["kid"].endswith(f"/credentials/keys/{thumbprint}")


def test_a_named_key_file_that_is_missing_is_refused_not_made(app_factory, tmp_path):
    missing = tmp_path / "shared" / "credential_signing_key.pem"
    # The app does not start (rather than answer the first credential with a 500) …
    with pytest.raises(RuntimeError, match="LERNPFAD_CREDENTIAL_KEY_FILE"):
        app_factory(CREDENTIAL_KEY_FILE=str(missing))
    # … and a key file removed after the start is not made anew either.
    missing.parent.mkdir()
    missing.write_bytes(RSAKey.generate_key(2048, private=True).as_pem(private=True))
    app = app_factory(CREDENTIAL_KEY_FILE=str(missing))
    missing.unlink()
    with app.app_context(), pytest.raises(RuntimeError, match="LERNPFAD_CREDENTIAL_KEY_FILE"):
        keys.signing_key()
    assert not missing.exists()
    assert not keys.key_path(app.instance_path).exists()


def test_without_the_setting_the_key_is_made_in_the_instance_folder(app):
    with app.app_context():
        thumbprint = keys.thumbprint()
    path = keys.key_path(app.instance_path)
    assert RSAKey.import_key(path.read_bytes()).thumbprint() == thumbprint

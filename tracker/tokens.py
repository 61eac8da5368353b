"""The tracker token at rest: encrypted by KMS, never stored or shown in clear.

The key is the stage's KMS key ``alias/<prefix>tracker-tokens`` (declared on the AppConfig,
created by ``manage.py provision`` on AWS and on the embedded emulator alike), so the key is never
in the database: a copy of the database alone reveals no token. boto3 is in Lambda's runtime, so
this costs the zip nothing (cryptography's Fernet would add ~4 MiB zipped to an 11 MiB package with a
12 MiB budget; bench/README.md). The ciphertext is bound to its owner by the encryption context,
so a ciphertext copied onto another user's order does not decrypt.

boto3 is imported on first use (adding an order, polling), never by other pages.
"""

from __future__ import annotations

from core.aws import client

KEY = "tracker-tokens"


class TokenUnreadable(Exception):
    """KMS refused to decrypt the stored token (another key, another owner, a damaged value)."""


def key_alias() -> str:
    from core.naming import resource_name

    return f"alias/{resource_name(KEY)}"


def _context(owner_id: int) -> dict[str, str]:
    return {"app": "tracker", "owner": str(owner_id)}


def token_encrypt(*, token: str, owner_id: int) -> bytes:
    answer = client("kms").encrypt(
        KeyId=key_alias(), Plaintext=token.encode(), EncryptionContext=_context(owner_id)
    )
    return answer["CiphertextBlob"]


def token_decrypt(*, ciphertext: bytes | memoryview, owner_id: int) -> str:
    kms = client("kms")
    try:
        answer = kms.decrypt(CiphertextBlob=bytes(ciphertext), EncryptionContext=_context(owner_id))
    except (kms.exceptions.InvalidCiphertextException, kms.exceptions.IncorrectKeyException) as exc:
        raise TokenUnreadable("The stored token could not be decrypted; add the order again.") from exc
    return answer["Plaintext"].decode()

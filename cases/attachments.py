"""Evidence files: checked by content, encrypted on disk, streamed back only to readers allowed.

Storage format (one file per attachment under ``MEDIA_ROOT/attachments/``):

    header  = b"ENLACE-ATT1\\n" || len(key id) (1 byte) || key id || nonce prefix (7 bytes)
    chunk i = AES-256-GCM(key, nonce = prefix || i (4 bytes) || last? (1 byte),
                          plaintext block of 64 KiB, associated data = header || storage name)

Each 64 KiB block is sealed on its own, so a download is decrypted and verified block by
block while it streams; the counter and the "last block" flag in the nonce make reordering,
dropping or truncating blocks fail verification; the storage name in the associated data ties
the file to its database row. The key is the field-encryption key ring's current key at upload
(its id is in the header and in ``Attachment.key_id``), so ``reencrypt`` can move a file to a
new key without downtime (docs/KEYS.md).
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import secrets
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from portal.crypto import key_ring
from portal.errors import InvalidInput

MAGIC = b"ENLACE-ATT1\n"
BLOCK = 64 * 1024
TAG = 16


class AttachmentIntegrityError(RuntimeError):
    """The stored file does not decrypt: tampered with, truncated, or the key is gone."""


# --- what we accept ----------------------------------------------------------------------------

# content type -> (label, extensions; the first is added when the name has none of them)
ACCEPTED: dict[str, tuple[str, tuple[str, ...]]] = {
    "image/jpeg": ("JPEG", (".jpg", ".jpeg")),
    "image/png": ("PNG", (".png",)),
    "image/gif": ("GIF", (".gif",)),
    "image/tiff": ("TIFF", (".tif", ".tiff")),
    "image/webp": ("WebP", (".webp",)),
    "image/heic": ("HEIC", (".heic", ".heif")),
    "application/dicom": ("DICOM", (".dcm",)),
    "application/pdf": ("PDF", (".pdf",)),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (
        "Word",
        (".docx",),
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("Excel", (".xlsx",)),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (
        "PowerPoint",
        (".pptx",),
    ),
    "application/vnd.oasis.opendocument.text": ("OpenDocument text", (".odt",)),
    "application/vnd.oasis.opendocument.spreadsheet": ("OpenDocument spreadsheet", (".ods",)),
    "text/plain": ("text", (".txt", ".csv", ".log")),
}

_OOXML_PARTS = {
    "word/document.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/workbook.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/presentation.xml": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    ),
}
_ODF_TYPES = {
    b"application/vnd.oasis.opendocument.text",
    b"application/vnd.oasis.opendocument.spreadsheet",
}
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"mif1", b"msf1"}


def refused_type_message() -> str:
    return _(
        "This kind of file is not accepted. Accepted: photos and X-ray images (JPEG, PNG, "
        "GIF, TIFF, WebP, HEIC, DICOM), PDF, Word, Excel and PowerPoint without macros, "
        "OpenDocument text and spreadsheets, and plain text."
    )


def _sniff_zip(handle: IO[bytes]) -> str | None:
    try:
        with zipfile.ZipFile(handle) as archive:
            names = set(archive.namelist())
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                return None  # macros: refused
            if "[Content_Types].xml" in names:
                for part, content_type in _OOXML_PARTS.items():
                    if part in names:
                        return content_type
            if "mimetype" in names:
                kind = archive.read("mimetype").strip()
                if kind in _ODF_TYPES:
                    return kind.decode()
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError):
        return None
    return None


def sniff(head: bytes, handle: IO[bytes] | None = None) -> str | None:
    """The content type of a file from its first bytes (and, for zips, its directory)."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "image/tiff"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return "image/heic"
    if head[128:132] == b"DICM":
        return "application/dicom"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"PK\x03\x04"):
        if handle is None:
            return None
        handle.seek(0)
        found = _sniff_zip(handle)
        handle.seek(0)
        return found
    if head and b"\x00" not in head:
        try:
            codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        except UnicodeDecodeError:
            return None
        return "text/plain"  # the whole file is checked while it is stored
    return None


_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"|?*\\/]')


def safe_filename(name: str, content_type: str) -> str:
    """A file name with no path, no control or shell-special characters, at most 150
    characters, ending in an extension that fits the detected content type."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = unicodedata.normalize("NFC", base)
    base = _UNSAFE.sub("_", base)
    base = " ".join(base.split()).lstrip(". ")
    stem, dot, extension = base.rpartition(".")
    if not dot:
        stem, extension = base, ""
    extensions = ACCEPTED[content_type][1]
    suffix = f".{extension.lower()}" if extension else ""
    if suffix not in extensions:
        stem, suffix = (base or "attachment"), extensions[0]
    stem = stem[: 150 - len(suffix)] or "attachment"
    return f"{stem}{suffix}"


# --- storing and reading ---------------------------------------------------------------------


def _root() -> Path:
    return Path(settings.MEDIA_ROOT) / "attachments"


def path_of(storage_name: str) -> Path:
    if not re.fullmatch(r"[0-9a-f]{40}\.enc", storage_name):
        raise ValueError("not a storage name")
    return _root() / storage_name[:2] / storage_name


def _header(key_id: str, prefix: bytes) -> bytes:
    encoded = key_id.encode()
    return MAGIC + bytes([len(encoded)]) + encoded + prefix


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    return prefix + counter.to_bytes(4, "big") + (b"\x01" if last else b"\x00")


def _blocks(chunks: Iterator[bytes]) -> Iterator[tuple[bytes, bool]]:
    """Re-cut a stream into 64 KiB blocks, marking the last one (an empty stream is one
    empty last block)."""
    buffer = b""
    pending: bytes | None = None
    for chunk in chunks:
        buffer += chunk
        while len(buffer) >= BLOCK:
            if pending is not None:
                yield pending, False
            pending, buffer = buffer[:BLOCK], buffer[BLOCK:]
    if buffer:
        if pending is not None:
            yield pending, False
        yield buffer, True
    else:
        yield (pending if pending is not None else b""), True


def _write_encrypted(
    target: Path, storage_name: str, chunks: Iterator[bytes], *, on_block: Any = None
) -> str:
    ring = key_ring()
    key_id = ring.current_id
    prefix = os.urandom(7)
    header = _header(key_id, prefix)
    aead = AESGCM(ring.keys[key_id])
    associated = header + storage_name.encode()
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = target.with_name(target.name + f".{secrets.token_hex(4)}.part")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(header)
            for counter, (block, last) in enumerate(_blocks(chunks)):
                if on_block is not None:
                    on_block(block, last)
                out.write(aead.encrypt(_nonce(prefix, counter, last), block, associated))
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return key_id


@dataclass(frozen=True)
class Stored:
    storage_name: str
    filename: str
    content_type: str
    size: int
    sha256: str
    key_id: str


def store(upload: UploadedFile) -> Stored:
    """Check an uploaded file and write it encrypted. Raises ``InvalidInput`` (field
    ``file``) when it is too large, empty, or not an accepted type."""
    limit = settings.ATTACHMENT_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise InvalidInput({"file": [_too_large(limit)]})
    upload.seek(0)
    head = upload.read(1024)
    content_type = sniff(head, upload.file if hasattr(upload, "file") else None)
    if not head or content_type is None:
        raise InvalidInput({"file": [refused_type_message() if head else _("The file is empty.")]})
    upload.seek(0)
    digest = hashlib.sha256()
    size = 0
    text = codecs.getincrementaldecoder("utf-8")() if content_type == "text/plain" else None

    def check(block: bytes, last: bool) -> None:
        nonlocal size
        size += len(block)
        if size > limit:
            raise InvalidInput({"file": [_too_large(limit)]})
        if text is not None:
            try:
                text.decode(block, final=last)
            except UnicodeDecodeError:
                raise InvalidInput({"file": [refused_type_message()]}) from None
            if b"\x00" in block:
                raise InvalidInput({"file": [refused_type_message()]})
        digest.update(block)

    storage_name = f"{secrets.token_hex(20)}.enc"
    key_id = _write_encrypted(path_of(storage_name), storage_name, upload.chunks(), on_block=check)
    return Stored(
        storage_name=storage_name,
        filename=safe_filename(upload.name or "", content_type),
        content_type=content_type,
        size=size,
        sha256=digest.hexdigest(),
        key_id=key_id,
    )


def _too_large(limit: int) -> str:
    return _("The file is larger than %(mb)s MB.") % {"mb": round(limit / 1024 / 1024, 1)}


def remove(storage_name: str) -> None:
    path_of(storage_name).unlink(missing_ok=True)


def _decrypt_stream(path: Path, storage_name: str) -> Iterator[bytes]:
    with path.open("rb") as handle:
        magic = handle.read(len(MAGIC))
        if magic != MAGIC:
            raise AttachmentIntegrityError("not an Enlace attachment file")
        length = handle.read(1)
        key_id = handle.read(length[0]).decode() if length else ""
        prefix = handle.read(7)
        key = key_ring().keys.get(key_id)
        if key is None:
            raise AttachmentIntegrityError(f"key {key_id!r} is not in the key ring")
        aead = AESGCM(key)
        associated = _header(key_id, prefix) + storage_name.encode()
        counter = 0
        sealed = handle.read(BLOCK + TAG)
        while True:
            following = handle.read(BLOCK + TAG)
            last = not following
            try:
                yield aead.decrypt(_nonce(prefix, counter, last), sealed, associated)
            except InvalidTag as exc:
                raise AttachmentIntegrityError(f"block {counter} does not verify") from exc
            if last:
                return
            sealed, counter = following, counter + 1


def stored_key_id(storage_name: str) -> str:
    with path_of(storage_name).open("rb") as handle:
        handle.read(len(MAGIC))
        length = handle.read(1)
        return handle.read(length[0]).decode() if length else ""


def open_decrypted(attachment: Any) -> Iterator[bytes]:
    """The plaintext of an attachment, block by block, each block verified before it is
    yielded. Raises ``AttachmentIntegrityError`` on the first block that does not verify."""
    return _decrypt_stream(path_of(attachment.storage_name), attachment.storage_name)


def reencrypt(attachment: Any) -> bool:
    """Re-encrypt one stored file under the key ring's current key (for key rotation).
    Returns False when it already uses the current key. The caller saves ``key_id``."""
    current = key_ring().current_id
    if stored_key_id(attachment.storage_name) == current:
        attachment.key_id = current
        return False
    path = path_of(attachment.storage_name)
    plaintext = _decrypt_stream(path, attachment.storage_name)
    attachment.key_id = _write_encrypted(path, attachment.storage_name, plaintext)
    return True

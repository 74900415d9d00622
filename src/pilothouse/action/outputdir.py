"""Writing rendered files under ``--output-dir`` without ever leaving it.

File names come from chart template paths and from post-renderers (the
``postrenderer.helm.sh/postrender-filename`` annotation), so they are hostile input. Helm joins
them to the directory as they are; Pilothouse refuses any name that would leave it: absolute
names, ``..`` parts, names that are not a file (``.``, empty, a trailing ``/``), control
characters, and paths that pass through a symbolic link or end on anything but a regular file.
The directory tree is walked with one open descriptor per level (``O_NOFOLLOW``), so a link
swapped in while we write cannot redirect the write either.
"""

from __future__ import annotations

import os
import stat

from pilothouse.errors import PilothouseError

MAX_NAME_BYTES = 4096  # PATH_MAX: longer names are refused, not truncated
MAX_DEPTH = 256


class OutputPathError(PilothouseError):
    """A rendered file name would be written outside the output directory, or not as a file."""


def _refuse(name: str, why: str) -> OutputPathError:
    shown = name.encode("unicode_escape").decode("ascii")
    return OutputPathError(f'refusing to write rendered file "{shown}": {why}')


def split_name(name: str) -> list[str]:
    """The parts of a rendered file name, or OutputPathError when it cannot stay inside the directory."""
    if not name:
        raise _refuse(name, "the name is empty")
    if len(name.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES:
        raise _refuse(name[:64] + "...", f"the name is longer than {MAX_NAME_BYTES} bytes")
    if any(ord(c) < 0x20 or c == "\x7f" for c in name):
        raise _refuse(name, "the name contains control characters")
    if "\\" in name:
        raise _refuse(name, "the name contains a backslash")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        raise _refuse(name, "absolute names are not allowed in the output directory")
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if ".." in name.split("/"):
        raise _refuse(name, "the name leaves the output directory (..)")
    if not parts or name.endswith("/") or name.split("/")[-1] in (".", ""):
        raise _refuse(name, "the name is not a file name")
    if len(parts) > MAX_DEPTH:
        raise _refuse(name, f"the name is nested more than {MAX_DEPTH} levels deep")
    return parts


def _open_dir(name: str, part: str, dir_fd: int | None, create: bool) -> int:
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)
    if create:
        try:
            os.mkdir(part, 0o755, dir_fd=dir_fd)
        except FileExistsError:
            pass
        except OSError as err:
            raise _refuse(name, f"cannot create directory {part!r}: {err.strerror}") from None
    try:
        st = os.stat(part, dir_fd=dir_fd, follow_symlinks=False)
    except OSError as err:
        raise _refuse(name, f"cannot open directory {part!r}: {err.strerror}") from None
    if stat.S_ISLNK(st.st_mode):
        raise _refuse(name, f"{part!r} is a symbolic link inside the output directory")
    if not stat.S_ISDIR(st.st_mode):
        raise _refuse(name, f"{part!r} is not a directory")
    try:
        return os.open(part, flags, dir_fd=dir_fd)
    except OSError as err:
        raise _refuse(name, f"cannot open directory {part!r}: {err.strerror}") from None


def write_file(out_dir: str, name: str, content: str, *, append: bool) -> str:
    """Write (or append) ``content`` to ``out_dir/name``; returns the path written.

    ``out_dir`` itself is the user's choice and is created when missing; everything below it is
    checked part by part.
    """
    parts = split_name(name)
    try:
        os.makedirs(out_dir, exist_ok=True)
    except OSError as err:
        raise OutputPathError(f"cannot create output directory {out_dir}: {err.strerror}") from None
    fds: list[int] = []
    try:
        fd = os.open(out_dir, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        fds.append(fd)
        for part in parts[:-1]:
            fd = _open_dir(name, part, fd, create=True)
            fds.append(fd)
        last = parts[-1]
        try:
            st = os.stat(last, dir_fd=fd, follow_symlinks=False)
        except FileNotFoundError:
            st = None
        except OSError as err:
            raise _refuse(name, err.strerror or "cannot inspect the target") from None
        if st is not None:
            if stat.S_ISLNK(st.st_mode):
                raise _refuse(name, "the target is a symbolic link inside the output directory")
            if stat.S_ISDIR(st.st_mode):
                raise _refuse(name, "the target is a directory")
            if not stat.S_ISREG(st.st_mode):
                raise _refuse(name, "the target is not a regular file")
            if st.st_nlink > 1:
                raise _refuse(name, "the target is a hard link to another file")
        flags = (os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
                 | (os.O_APPEND if append else 0))
        try:
            wfd = os.open(last, flags, 0o644, dir_fd=fd)
        except OSError as err:
            raise _refuse(name, err.strerror or "cannot open the target") from None
        with os.fdopen(wfd, "wb") as fh:
            now = os.fstat(fh.fileno())
            if not stat.S_ISREG(now.st_mode) or now.st_nlink > 1 or (st is not None and now.st_ino != st.st_ino):
                raise _refuse(name, "the target changed while it was being opened")
            if not append:
                fh.truncate(0)
            fh.write(content.encode("utf-8", "surrogateescape"))
    finally:
        for f in fds:
            os.close(f)
    return os.path.join(out_dir, *parts)

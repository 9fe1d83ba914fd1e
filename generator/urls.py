"""The one way a site-relative URL becomes a link: relative from a page, or absolute from site_url.

A site may live under a path (`site_url: https://org.example/network/`, contract
9.6), so nothing generated may start with "/": links between pages are
relative, and absolute URLs (feeds, link previews, canonical links) are joined
onto site_url, path and all. Site-relative URLs here have no leading "/".
"""

from __future__ import annotations

from urllib.parse import urljoin


def relative(from_page: str, to: str) -> str:
    """A link from the page at directory URL `from_page` to the site-relative `to`."""
    path, hash_mark, fragment = to.partition("#")
    # "." is the home page's own URL in MkDocs ("./"): it names no folder.
    source = [part for part in from_page.split("/") if part and part != "."]
    target = [part for part in path.split("/") if part and part != "."]
    common = 0
    while common < len(source) and common < len(target) and source[common] == target[common]:
        common += 1
    link = "/".join([".."] * (len(source) - common) + target[common:])
    if path.endswith("/") or not path or path == ".":
        link = link + "/" if link else "./"
    return link + (hash_mark + fragment if hash_mark else "")


def from_file(from_file_url: str, to: str) -> str:
    """A link from a file (not a directory page) at site-relative `from_file_url`, e.g. a feed, to `to`."""
    folder = from_file_url.rsplit("/", 1)[0] + "/" if "/" in from_file_url else ""
    return relative(folder, to)


def absolute(site_url: str | None, url: str) -> str | None:
    """The absolute URL of site-relative `url` under site_url (kept under its path), or None without one."""
    if not site_url:
        return None
    return urljoin(site_url if site_url.endswith("/") else site_url + "/", url.lstrip("/"))


def is_local(site_url: str | None) -> bool:
    """Whether site_url names this machine (localhost, 127.0.0.1, ::1, 0.0.0.0): a preview's address."""
    import ipaddress
    from urllib.parse import urlsplit

    if not site_url:
        return False
    try:
        host = (urlsplit(site_url).hostname or "").rstrip(".").lower()
    except ValueError:
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified

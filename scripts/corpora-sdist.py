"""Fetches one source distribution (sdist) from the index pip is configured for, and unpacks it.

    python3 scripts/corpora-sdist.py NAME VERSION DEST ARCHIVES

Saves the sdist into the folder ARCHIVES (kept, so a second install unpacks without downloading), checks it
against the hash the index gives, and unpacks its top folder as DEST (which must not exist yet). Prints one JSON
line: {"file", "sha256", "bytes"}. Exit 1, with the reason on stderr, on any failure.

Why not just `pip download --no-deps --no-binary :all: NAME==VERSION`: pip then prepares the package's metadata,
which installs its build backend and, for a backend without a metadata hook (pandas' meson-python), builds the
whole package: more than ten minutes for pandas on two cores, for a file we only want to read (pip issue #1884).
So this asks pip's own package finder, with pip's own configuration and HTTP session (index, certificates,
proxies, timeouts), for the sdist's link, and downloads just that. If pip's internals ever change under it, it
falls back to `pip download` (slow for pandas, fine for the rest).
"""
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile


def fetch_with_pip(name, version, archives):
    """Finds the sdist of NAME==VERSION with pip's finder and saves it into ARCHIVES (unless a file with the
    index's hash is there). Returns (filename, hash name, hash)."""
    from pip._internal.commands import create_command
    from pip._vendor.packaging.specifiers import SpecifierSet

    cmd = create_command("download")
    options, _ = cmd.parse_args(["--no-deps", "--no-binary", ":all:", f"{name}=={version}"])
    with cmd.main_context():
        session = cmd.get_default_session(options)
        finder = cmd._build_package_finder(options=options, session=session)
        best = finder.find_best_candidate(name, SpecifierSet(f"=={version}")).best_candidate
        if best is None:
            raise LookupError(f"no source distribution of {name}=={version} found (not on the index, or the index "
                              "cannot be reached)")
        link = best.link
        target = os.path.join(archives, link.filename)
        if not (os.path.exists(target) and link.hash_name and digest(target, link.hash_name) == link.hash):
            tmp = target + ".part"
            with session.get(link.url.split("#")[0], stream=True) as r:
                r.raise_for_status()
                with open(tmp, "wb") as out:
                    for chunk in r.iter_content(1 << 20):
                        out.write(chunk)
            os.replace(tmp, target)
        return link.filename, link.hash_name, link.hash


def pip_download(name, version, archives):
    """The fallback: pip itself (prepares metadata, so it can take long)."""
    before = set(os.listdir(archives))
    r = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", name, "--quiet",
                        f"{name}=={version}", "-d", archives])
    if r.returncode:
        raise RuntimeError(f"pip download exited {r.returncode}")
    new = [f for f in os.listdir(archives) if f not in before and not f.endswith(".whl")]
    lower = f"{name}-{version}".lower().replace("_", "-")
    named = [f for f in os.listdir(archives) if f.lower().replace("_", "-").startswith(lower) and not f.endswith(".whl")]
    if not (new or named):
        raise RuntimeError("pip download saved no source distribution")
    return (new or named)[0]


def unpack(archive, dest):
    parent = os.path.dirname(dest)
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=".unpack-", dir=parent)
    try:
        if archive.endswith(".zip"):
            with zipfile.ZipFile(archive) as z:
                for m in z.namelist():
                    if m.startswith("/") or ".." in m.split("/"):
                        raise RuntimeError(f"unsafe path in {archive}: {m}")
                z.extractall(tmp)
        else:
            with tarfile.open(archive) as t:
                if hasattr(tarfile, "data_filter"):
                    t.extractall(tmp, filter="data")
                else:
                    for m in t.getmembers():
                        if m.name.startswith("/") or ".." in m.name.split("/") or m.issym() or m.islnk():
                            raise RuntimeError(f"unsafe member in {archive}: {m.name}")
                    t.extractall(tmp)
        tops = os.listdir(tmp)
        src = os.path.join(tmp, tops[0]) if len(tops) == 1 and os.path.isdir(os.path.join(tmp, tops[0])) else tmp
        os.rename(src, dest)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def kept_archive(name, version, archives):
    """The sdist of NAME-VERSION in ARCHIVES, if there is one (sdist names are normalised: '-', '.', '_' alike)."""
    norm = lambda s: re.sub(r"[-_.]+", "_", s).lower()
    want = norm(f"{name}-{version}")
    for f in sorted(os.listdir(archives)):
        stem = re.sub(r"\.(tar\.gz|tar\.bz2|tgz|zip)$", "", f)
        if stem != f and norm(stem) == want:
            return f
    return None


def digest(path, algo="sha256"):
    h = hashlib.new(algo)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def main():
    name, version, dest, archives = sys.argv[1:5]
    os.makedirs(archives, exist_ok=True)
    if os.path.exists(dest):
        raise RuntimeError(f"{dest} exists already")
    try:
        filename, hash_name, want = fetch_with_pip(name, version, archives)
    except (ImportError, AttributeError, TypeError) as e:
        print(f"corpora-sdist: pip's finder is not usable here ({type(e).__name__}: {e}); falling back to pip download",
              file=sys.stderr)
        filename = pip_download(name, version, archives)
        hash_name = want = None
    except Exception as e:
        # No index (offline): an archive kept from an earlier install (checked against the index's hash then).
        kept = kept_archive(name, version, archives)
        if not kept:
            raise
        print(f"corpora-sdist: {e}; unpacking the archive kept from an earlier install, {kept}", file=sys.stderr)
        filename, hash_name, want = kept, None, None
    archive = os.path.join(archives, filename)
    if hash_name and (got := digest(archive, hash_name)) != want:
        os.remove(archive)
        raise RuntimeError(f"{filename}: {hash_name} {got}, the index says {want}")
    got = digest(archive)
    unpack(archive, dest)
    print(json.dumps({"file": filename, "sha256": got, "bytes": os.path.getsize(archive)}))


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # one line for the installer's summary
        print(f"corpora-sdist: {type(e).__name__}: {e}", file=sys.stderr)
        sys.exit(1)

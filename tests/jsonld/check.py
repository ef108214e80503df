#!/usr/bin/env python3
"""Offline JSON-LD check for ActivityPub documents.

Usage: python3 tests/jsonld/check.py FILE... (use "-" for standard input)

Each FILE holds one JSON document (or a JSON array of documents). Every
document that has an "@context" is expanded with pyld, using a document
loader that serves ONLY the offline copies in tests/fixtures/contexts/:
an unknown context URL is a problem, and nothing is ever fetched.

"@vocab": "_:" is put ahead of the document's own contexts, so a key the
contexts do not define expands to a blank-node property "_:key" instead of
being silently dropped. The checker reports:
  - undefined terms (keys that expand to "_:key"),
  - undefined types (type values that expand to "_:Type"),
  - compact IRIs whose prefix is not defined ("foo:bar" keeping an unknown
    scheme), as keys or type values,
  - relative IRIs where an IRI is expected (an "@id" with no scheme).

One line per problem, "FILE: undefined term 'foo' at path a.b", then the
summary "N documents checked, M problems". Exit status 1 if there is any
problem, 0 otherwise. Documents without "@context" (WebFinger, NodeInfo)
are skipped with a note; check NodeInfo with check_nodeinfo.py.
"""

import json
import os
import re
import sys

from pyld import jsonld

HERE = os.path.dirname(os.path.abspath(__file__))
CONTEXT_DIR = os.path.normpath(os.path.join(HERE, "..", "fixtures", "contexts"))

# Context URL (without scheme, trailing slash or ".jsonld"/".json") -> file
# in tests/fixtures/contexts/. See tests/fixtures/contexts/README.md.
CONTEXTS = {
    "www.w3.org/ns/activitystreams": "www.w3.org_ns_activitystreams.json",
    "w3id.org/security/v1": "w3id.org_security_v1.json",
    "w3id.org/security/data-integrity/v1": "w3id.org_security_data_integrity_v1.json",
    "w3id.org/security/data-integrity/v2": "w3id.org_security_data_integrity_v2.json",
    "w3id.org/security/multikey/v1": "w3id.org_security_multikey_v1.json",
    "w3id.org/identity/v1": "w3id.org_identity_v1.json",
    "w3id.org/fep/5711": "w3id.org_fep_5711.json",
    "w3id.org/fep/ef61": "w3id.org_fep_ef61.json",
    "www.w3.org/ns/did/v1": "www.w3.org_ns_did_v1.json",
    "www.w3.org/ns/cid/v1": "www.w3.org_ns_cid_v1.json",
    "joinmastodon.org/ns": "joinmastodon.org_ns.json",
    "gotosocial.org/ns": "gotosocial.org_ns.json",
    "join-lemmy.org/context": "join_lemmy.org_context.json.json",
    "purl.archive.org/miscellany": "purl.archive.org_miscellany.json",
    "purl.archive.org/socialweb/webfinger": "purl.archive.org_socialweb_webfinger.json",
}
# Pleroma and Akkoma serve the same static LitePub context from every
# instance: https://<any host>/schemas/litepub-0.1.jsonld
LITEPUB = re.compile(r"^https?://[^/]+/schemas/litepub-0\.1\.jsonld$")
LITEPUB_FILE = "litepub-0.1.jsonld"

# IRI schemes accepted for properties and types; any other "x:y" is taken to
# be a compact IRI whose prefix "x" the contexts do not define.
KNOWN_SCHEMES = {"http", "https", "urn", "did", "tag", "mailto", "acct", "data"}
SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


class UnknownContext(Exception):
    pass


def context_key(url):
    """Normalise a context URL to a key of CONTEXTS."""
    key = re.sub(r"^https?://", "", url.split("#", 1)[0]).rstrip("/")
    for suffix in (".jsonld", ".json"):
        if key.endswith(suffix):
            key = key[: -len(suffix)]
    return key


def context_file(url):
    if LITEPUB.match(url):
        return LITEPUB_FILE
    name = CONTEXTS.get(context_key(url))
    if name is None:
        raise UnknownContext(url)
    return name


def offline_loader(url, options=None):
    """pyld document loader that serves only tests/fixtures/contexts/."""
    with open(os.path.join(CONTEXT_DIR, context_file(url)), encoding="utf-8") as f:
        document = json.load(f)
    return {"contextUrl": None, "documentUrl": url, "document": document}


def find_unknown_context(err, depth=0):
    """The UnknownContext buried in a pyld JsonLdError chain, if any."""
    if isinstance(err, UnknownContext):
        return err
    if err is None or depth > 10:
        return None
    details = getattr(err, "details", None) or {}
    for nested in (getattr(err, "cause", None), details.get("cause"),
                   err.__cause__, err.__context__):
        found = find_unknown_context(nested, depth + 1)
        if found is not None:
            return found
    return None


def context_urls(context):
    """Every remote context URL named in an @context value (not nested)."""
    items = context if isinstance(context, list) else [context]
    return [c for c in items if isinstance(c, str)]


def iri_name(iri):
    """A short, readable name for an expanded property IRI."""
    if iri.startswith("_:"):
        return iri[2:]
    return re.split(r"[#/]", iri.rstrip("/#"))[-1] or iri


class Checker:
    def __init__(self):
        self.documents = 0
        self.problems = 0
        self.skipped = 0

    def problem(self, label, message):
        self.problems += 1
        print(f"{label}: {message}")

    def check_source(self, label):
        try:
            if label == "-":
                text = sys.stdin.read()
                label = "<stdin>"
            else:
                with open(label, encoding="utf-8") as f:
                    text = f.read()
            data = json.loads(text)
        except (OSError, ValueError) as err:
            self.problem(label, f"cannot read JSON: {err}")
            return
        docs = data if isinstance(data, list) else [data]
        for i, doc in enumerate(docs):
            name = label if len(docs) == 1 else f"{label}[{i}]"
            self.check_document(name, doc)

    def check_document(self, label, doc):
        if not isinstance(doc, dict) or "@context" not in doc:
            self.skipped += 1
            print(f"{label}: skipped, no @context (not JSON-LD; "
                  "use check_nodeinfo.py for NodeInfo)")
            return
        self.documents += 1
        for url in context_urls(doc["@context"]):
            try:
                context_file(url)
            except UnknownContext:
                self.problem(label, f"unknown context URL '{url}' "
                             "(no offline copy in tests/fixtures/contexts)")
                return
        probe = dict(doc)
        ctx = doc["@context"]
        probe["@context"] = [{"@vocab": "_:"}] + (ctx if isinstance(ctx, list) else [ctx])
        try:
            expanded = jsonld.expand(probe, {
                "documentLoader": offline_loader,
                "base": None,
            })
        except Exception as err:  # pyld raises JsonLdError with nested causes
            unknown = find_unknown_context(err)
            if unknown is not None:
                self.problem(label, f"unknown context URL '{unknown}' "
                             "(no offline copy in tests/fixtures/contexts)")
            else:
                message = " ".join(str(err).split())
                self.problem(label, f"JSON-LD expansion failed: {message}")
            return
        self.walk(label, expanded, [])

    def walk(self, label, value, path):
        if isinstance(value, list):
            for item in value:
                self.walk(label, item, path)
            return
        if not isinstance(value, dict):
            return
        where = ".".join(path) or "(top)"
        node_id = value.get("@id")
        if isinstance(node_id, str) and not node_id.startswith("_:") \
                and not SCHEME.match(node_id):
            self.problem(label, f"relative IRI '{node_id}' at path {where}")
        if "@value" not in value:  # in a value object @type is a datatype
            types = value.get("@type", [])
            for t in types if isinstance(types, list) else [types]:
                self.check_iri(label, t, where, "type")
        for key, child in value.items():
            if key.startswith("@"):
                if key in ("@list", "@set", "@graph", "@reverse"):
                    self.walk(label, child, path)
                continue
            name = iri_name(key)
            here = ".".join(path + [name])
            self.check_iri(label, key, here, "term")
            self.walk(label, child, path + [name])

    def check_iri(self, label, iri, where, kind):
        if iri.startswith("_:"):
            self.problem(label, f"undefined {kind} '{iri[2:]}' at path {where}")
            return
        m = SCHEME.match(iri)
        if m is None:
            self.problem(label, f"relative IRI '{iri}' used as {kind} at path {where}")
        elif m.group(1).lower() not in KNOWN_SCHEMES:
            self.problem(label, f"undefined prefix '{m.group(1)}' in {kind} "
                         f"'{iri}' at path {where}")


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    checker = Checker()
    for label in argv[1:]:
        checker.check_source(label)
    if checker.skipped:
        print(f"{checker.skipped} documents skipped (no @context)")
    print(f"{checker.documents} documents checked, {checker.problems} problems")
    return 1 if checker.problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

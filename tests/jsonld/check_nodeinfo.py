#!/usr/bin/env python3
"""Validate NodeInfo documents against the official NodeInfo JSON schemas.

Usage: python3 tests/jsonld/check_nodeinfo.py FILE... (use "-" for standard input)

Each FILE holds one NodeInfo document (/nodeinfo/2.0 or /nodeinfo/2.1). Its
"version" picks tests/fixtures/nodeinfo/schema-<version>.json (copies of
the schemas in the jhass/nodeinfo repository, draft-04), and jsonschema
validates it. A discovery document (/.well-known/nodeinfo) is checked for
a non-empty "links" list whose entries have a NodeInfo "rel" and an "href".

One line per problem, "FILE: <message> at path a.b", then the summary
"N documents checked, M problems". Exit status 1 if there is any problem,
0 otherwise.
"""

import json
import os
import sys

from jsonschema import Draft4Validator

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA_DIR = os.path.normpath(os.path.join(HERE, "..", "fixtures", "nodeinfo"))
VERSIONS = ("2.0", "2.1")
REL_PREFIX = "http://nodeinfo.diaspora.software/ns/schema/"


def load_validator(version):
    path = os.path.join(SCHEMA_DIR, f"schema-{version}.json")
    with open(path, encoding="utf-8") as f:
        schema = json.load(f)
    Draft4Validator.check_schema(schema)
    return Draft4Validator(schema)


def path_of(error):
    return ".".join(str(p) for p in error.absolute_path) or "(top)"


def check_discovery(doc):
    """Problems in a /.well-known/nodeinfo discovery document."""
    links = doc.get("links")
    if not isinstance(links, list) or not links:
        return ["discovery document has no 'links' at path links"]
    problems = []
    for i, link in enumerate(links):
        if not isinstance(link, dict):
            problems.append(f"link is not an object at path links.{i}")
            continue
        rel, href = link.get("rel"), link.get("href")
        if not isinstance(rel, str) or not rel.startswith(REL_PREFIX):
            problems.append(f"rel {rel!r} is not a NodeInfo schema URL at path links.{i}.rel")
        if not isinstance(href, str) or not href.startswith(("http://", "https://")):
            problems.append(f"href {href!r} is not an absolute URL at path links.{i}.href")
    return problems


def check_document(doc, validators):
    if not isinstance(doc, dict):
        return ["document is not a JSON object"]
    if "version" not in doc and "links" in doc:
        return check_discovery(doc)
    version = doc.get("version")
    if version not in VERSIONS:
        return [f"unsupported NodeInfo version {version!r} (expected one of "
                f"{', '.join(VERSIONS)}) at path version"]
    if version not in validators:
        validators[version] = load_validator(version)
    errors = sorted(validators[version].iter_errors(doc),
                    key=lambda e: list(e.absolute_path))
    return [f"{e.message} at path {path_of(e)}" for e in errors]


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    validators = {}
    documents = problems = 0
    for label in argv[1:]:
        try:
            if label == "-":
                label = "<stdin>"
                doc = json.loads(sys.stdin.read())
            else:
                with open(label, encoding="utf-8") as f:
                    doc = json.load(f)
        except (OSError, ValueError) as err:
            print(f"{label}: cannot read JSON: {err}")
            problems += 1
            continue
        documents += 1
        for message in check_document(doc, validators):
            print(f"{label}: {message}")
            problems += 1
    print(f"{documents} documents checked, {problems} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/env bash
# Runs the activitypub-testing@0.16.1 actor suite against one actor URL.
#
#   tests/peers/activitypub-testing.sh ACTOR_URL
#
# Prints the tool's JSON lines (one Assertion per line) on stdout and a short
# summary on stderr. The tool exits 0 even when a case fails, so this script
# judges the lines itself: it exits 1 if any outcome is "failed", if a line is
# not a JSON Assertion, if no result was printed at all, or if the tool itself
# failed (for example when the actor could not be fetched); 0 otherwise.
# Outcomes "passed", "inapplicable", "cantTell" and "untested" do not fail.
set -uo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 ACTOR_URL" >&2
  exit 2
fi
actor_url=$1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here" || exit 2

out=$(mktemp)
trap 'rm -f "$out"' EXIT

npx --no-install activitypub-testing test actor "$actor_url" >"$out"
tool_status=$?
cat "$out"

node --input-type=module - "$out" "$tool_status" <<'EOF'
import { readFileSync } from "node:fs";
const [file, toolStatus] = process.argv.slice(2);
const counts = {};
const failed = [];
const problems = [];
for (const line of readFileSync(file, "utf8").split("\n")) {
  if (line.trim() === "") continue;
  let assertion;
  try {
    assertion = JSON.parse(line);
  } catch {
    problems.push(`not JSON: ${line.slice(0, 120)}`);
    continue;
  }
  const outcome = assertion?.result?.outcome;
  if (!assertion?.type?.includes?.("Assertion") || typeof outcome !== "string") {
    problems.push(`not an Assertion: ${line.slice(0, 120)}`);
    continue;
  }
  counts[outcome] = (counts[outcome] ?? 0) + 1;
  if (outcome === "failed") {
    failed.push(`${assertion.test?.slug ?? "?"}: ${assertion.result.info ?? ""}`);
  }
}
const total = Object.values(counts).reduce((a, b) => a + b, 0);
if (toolStatus !== "0") problems.push(`activitypub-testing exited with status ${toolStatus}`);
if (total === 0) problems.push("activitypub-testing printed no results");
const summary = Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(", ");
console.error(`activitypub-testing: ${total} results${summary ? ` (${summary})` : ""}`);
for (const f of failed) console.error(`  FAILED ${f}`);
for (const p of problems) console.error(`  ERROR ${p}`);
process.exit(failed.length > 0 || problems.length > 0 ? 1 : 0);
EOF

#!/bin/sh
# helm test: post a document to the release's API and wait until it is stored. Reads API,
# API_KEYS (tenant:key,...; the first key is used) and TIMEOUT_SECONDS from the environment.
# Exit status 0 only for a stored document.
set -eu

work=${TMPDIR:-/tmp}
first=${API_KEYS%%,*}
key=${first#*:}
auth="Authorization: Bearer $key"

# The first "name": "value" pair of a JSON answer (the document's own come first).
field() {
  grep -o "\"$1\": *\"[^\"]*\"" "$2" | head -n 1 | sed 's/.*: *"\(.*\)"/\1/'
}

# Unique content: a duplicate upload would answer with an earlier document.
printf 'MEMORANDUM\n\nTo: Operations\nFrom: helm test\nDate: %s\n\nThe docflow release answers (%s).\n' \
  "$(date -u +%Y-%m-%d)" "$(date -u +%s)-$$" > "$work/memo.txt"

curl -sS --fail-with-body --max-time 30 -H "$auth" -H "X-Filename: helm-test-memo.txt" \
  -H "Content-Type: text/plain" --data-binary "@$work/memo.txt" "$API/v1/documents" \
  > "$work/upload.json"
id=$(field id "$work/upload.json")
[ -n "$id" ] || { echo "no document id in the answer: $(cat "$work/upload.json")"; exit 1; }
echo "posted document $id"

deadline=$(( $(date +%s) + TIMEOUT_SECONDS ))
while [ "$(date +%s)" -lt "$deadline" ]; do
  curl -sS --max-time 10 -H "$auth" "$API/v1/documents/$id" > "$work/document.json" || true
  status=$(field status "$work/document.json")
  echo "status: ${status:-unknown}"
  case "$status" in
    stored) exit 0 ;;
    failed|rejected|needs_review) echo "document $id ended $status"; exit 1 ;;
  esac
  sleep 2
done
echo "document $id not stored within ${TIMEOUT_SECONDS}s"
exit 1

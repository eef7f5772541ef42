#!/usr/bin/env bash
# Renders the HTML migration report in headless Chromium (Debian package `chromium`): the DOM must
# hold the report's sections and a screenshot must be taken. The test is #[ignore]d in plain
# `cargo test` because Chromium is installed here, after cargo test has run.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=scripts/lib/common.sh
source scripts/lib/common.sh
ensure_apt chromium chromium
HEX_MIGRATE_REQUIRE_TOOLS=1 cargo test --locked --test report -- --ignored

#!/bin/sh
# wijkbeeld nightly update: load what changed, then publish. Installed as /etc/wijkbeeld/update.sh and run by
# wijkbeeld-update.service (user wijkbeeld, settings from /etc/wijkbeeld/update.env); edit it for the gemeente.
#
# Every load either lands whole or not at all, and loading a file that was loaded before changes nothing. If a
# step fails the script stops (set -e) before publishing: the sites keep serving what was published, and the
# failure is in `journalctl -u wijkbeeld-update` and `systemctl --failed`. Publishing builds the new version aside
# and swaps the `published` link in one rename: the sites never pause.
set -eu

wijkbeeld=/opt/wijkbeeld/venv/bin/wijkbeeld      # --data-dir comes from WIJKBEELD_DATA_DIR (update.env)
invoer=/srv/wijkbeeld-invoer                     # files the municipality exports (initiatives, wijkagenda)

# The gemeente's boundaries (PDOK Wijk- en buurtkaart, cached after the first download), kerncijfers of every year
# (CBS OData, only its own rows and the Netherlands) and RIVM figures: WIJKBEELD_GEMEENTE in update.env (several
# with commas). What is loaded unchanged is skipped; after a failure the next run resumes at the step that failed.
# Add --jaren 2022-2025 to load fewer years. It publishes below, once, with the initiatives and the wijkagenda.
: "${WIJKBEELD_GEMEENTE:?set WIJKBEELD_GEMEENTE in /etc/wijkbeeld/update.env, e.g. GM0150}"
"$wijkbeeld" etl update --gemeente "$WIJKBEELD_GEMEENTE" --no-publish

# Initiatives and the wijkagenda, when the municipality has put an export in $invoer.
if [ -f "$invoer/initiatieven.csv" ]; then
    "$wijkbeeld" etl initiatives --file "$invoer/initiatieven.csv"
fi
if [ -f "$invoer/wijkagenda.xlsx" ]; then
    "$wijkbeeld" etl agenda --file "$invoer/wijkagenda.xlsx"
fi

"$wijkbeeld" publish
"$wijkbeeld" status

# Optional: the static public map for any web server or CDN (see README.md, "Publishing a static public map").
# "$wijkbeeld" export public-map --out /var/lib/wijkbeeld/static-map

# Several app hosts with a copy of the data each (deploy/README.md, "Several app hosts"): copy the new version
# complete, then switch each host's link. Needs an ssh key of the wijkbeeld user on the app hosts.
# data=${WIJKBEELD_DATA_DIR:-/var/lib/wijkbeeld}
# version=$(basename "$(readlink "$data/published")")
# for host in app1.gemeente.example.nl app2.gemeente.example.nl; do
#     rsync -a "$data/versions/$version" "wijkbeeld@$host:/var/lib/wijkbeeld/versions/"
#     ssh "wijkbeeld@$host" "cd /var/lib/wijkbeeld && ln -sfn versions/$version published.new && mv -T published.new published"
#     rsync -a --delete "$data/versions/" "wijkbeeld@$host:/var/lib/wijkbeeld/versions/"
# done

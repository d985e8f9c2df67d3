#!/usr/bin/env bash
# Copies the roles listed in sources.tsv out of git mirrors into corpus/NAME,
# keeping only what a role needs (tasks, handlers, defaults, vars, templates, files,
# meta/main.yml) and the role's licence file. Files over 200 KB are left out.
#   MIRRORS=/work/.mirror bash bench/roles/import.sh
# sources.tsv: NAME  OWNER/REPO  SUBDIR(or .)  LICENCE-PATH-IN-REPO  SPDX
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
MIRRORS=${MIRRORS:-/work/.mirror}
CORPUS="$HERE/corpus"
mkdir -p "$CORPUS"
: > "$HERE/sources.lock"
while IFS=$'\t' read -r name repo sub lic spdx; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  gd="$MIRRORS/${repo/\//+}/repo"
  [[ -d "$gd" ]] || { echo "skip $name: no mirror $gd" >&2; continue; }
  commit=$(git --git-dir="$gd" rev-parse HEAD)
  tree=HEAD; [[ "$sub" != . ]] && tree="HEAD:$sub"
  want=()
  prefix=""; [[ "$sub" != . ]] && prefix="$sub/"
  for p in tasks handlers defaults vars templates files meta/main.yml meta/main.yaml; do
    git --git-dir="$gd" cat-file -e "HEAD:$prefix$p" 2>/dev/null && want+=("$p") || true
  done
  rm -rf "${CORPUS:?}/$name"; mkdir -p "$CORPUS/$name"
  if ((${#want[@]})); then
    git --git-dir="$gd" archive "$tree" "${want[@]}" | tar -x -C "$CORPUS/$name"
  fi
  git --git-dir="$gd" show "HEAD:$lic" > "$CORPUS/$name/LICENSE"
  find "$CORPUS/$name" -type f -size +200k -print -delete | sed "s|^|dropped large file: |" >&2
  find "$CORPUS/$name" -xtype l -print -delete | sed "s|^|dropped dangling symlink: |" >&2
  printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$repo" "$sub" "$commit" "$spdx" >> "$HERE/sources.lock"
  echo "imported $name ($repo $sub @ ${commit:0:12}, $spdx)"
done < "$HERE/sources.tsv"

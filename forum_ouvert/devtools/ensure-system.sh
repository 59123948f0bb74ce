#!/usr/bin/env bash
# Install the Debian packages the project needs when they are missing and we are root.
#   ensure-system.sh run   : what WeasyPrint needs to render PDFs, and PostgreSQL and Redis
#                            when nothing answers on their ports (make run uses both)
#   ensure-system.sh test  : the above, plus Chromium, poppler-utils, gettext (the French
#                            plurals catalogue is checked), PostgreSQL, Redis,
#                            nginx (the shipped proxy limits are tested) and Java (the
#                            Nu Html Checker validates every page)
#   ensure-system.sh verify: the above, plus the load and security tools of make verify/scan
set -euo pipefail
mode=${1:-run}
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
[ "$mode" != run ] && packages+=(chromium poppler-utils gettext postgresql redis-server nginx default-jre-headless)
answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if [ "$mode" = run ]; then
  answers 5432 || packages+=(postgresql)
  answers 6379 || packages+=(redis-server)
fi
[ "$mode" = verify ] && packages+=(wrk wapiti sqlmap openssl)

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "Paquets système manquants : ${missing[*]} — installez-les (sudo apt-get install ${missing[*]})." >&2
  [ "$mode" != run ] && exit 1 || exit 0
fi
echo "Installation des paquets Debian manquants : ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null \
  || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; }

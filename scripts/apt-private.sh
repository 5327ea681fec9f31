# SPDX-License-Identifier: GPL-2.0
#
# Sourced by the fetch scripts: run apt-get against a private configuration
# kept under $PCARVE_CACHE, so that the machine's own apt sources, state and
# architecture list are never touched.
#
#   apt_private DIR ARCH "SUITES" apt-get-args...

apt_private() {
	local dir=$1 arch=$2 suites=$3 s
	local keyring=/usr/share/keyrings/debian-archive-keyring.gpg
	shift 3

	mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial" \
		"$dir/prefs.d" "$dir/state"
	[ -f "$dir/state/status" ] || : > "$dir/state/status"
	: > "$dir/sources.list.new"
	for s in $suites; do
		echo "deb [signed-by=$keyring arch=$arch] http://deb.debian.org/debian $s main" \
			>> "$dir/sources.list.new"
	done
	mv "$dir/sources.list.new" "$dir/sources.list"
	apt-get -q -o "Dir::Etc::SourceList=$dir/sources.list" \
		-o "Dir::Etc::SourceParts=/dev/null" \
		-o "Dir::Etc::Preferences=/dev/null" \
		-o "Dir::Etc::PreferencesParts=$dir/prefs.d" \
		-o "Dir::State::Lists=$dir/lists" \
		-o "Dir::State::Status=$dir/state/status" \
		-o "Dir::Cache=$dir/cache" \
		-o "APT::Architecture=$arch" \
		-o "APT::Architectures::=$arch" \
		-o "APT::Sandbox::User=root" "$@"
}

# apt_private_update DIR ARCH "SUITES": a mirror caught mid-sync fails an
# update now and then; try three times
apt_private_update() {
	local try

	for try in 1 2 3; do
		apt_private "$@" update && return 0
		echo "pcarve: apt-get update failed (try $try of 3)" >&2
		sleep $((try * 5))
	done
	return 1
}

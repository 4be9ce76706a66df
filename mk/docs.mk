# Top-level documents shipped in the tarball.
EXTRA_DIST += README.md COPYING AUTHORS DEVELOPERS.md quickstart .ci/run src/demo.sh \
	doc/screens

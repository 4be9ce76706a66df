/* undertone-keygen: CURVE key pairs for the analyzer, consoles and feeds
 * (see undertone-keygen(1) and doc/security.md). */
#include <stdio.h>
#include <string.h>
#include "undertone/transport.h"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: undertone-keygen [--name TEXT] FILE\n"
	    "       undertone-keygen --print-public FILE\n"
	    "Make a CURVE key pair: FILE (public, give it out) and FILE%s (secret,\n"
	    "mode 0600, keep it). Existing files are never overwritten.\n"
	    "  --name TEXT          a label stored in both files (e.g. the console's owner)\n"
	    "  --print-public FILE  print the Z85 public key of a public or secret file\n"
	    "See undertone-keygen(1) and doc/security.md.\n", TRANSPORT_CERT_SECRET_SUFFIX);
}

static int
print_public(const char *path)
{
	char pub[TRANSPORT_KEY_Z85_LEN + 1], err[512];

	if (transport_cert_load(path, pub, NULL, err, sizeof(err)) != TRANSPORT_CERT_OK) {
		fprintf(stderr, "undertone-keygen: %s\n", err);
		return 1;
	}
	printf("%s\n", pub);
	return 0;
}

static int
generate(const char *path, const char *name)
{
	char pub[TRANSPORT_KEY_Z85_LEN + 1], sec[TRANSPORT_KEY_Z85_LEN + 1], err[512];
	int rc;

	if (transport_curve_keypair(pub, sec) != TRANSPORT_CERT_OK) {
		fprintf(stderr, "undertone-keygen: this libzmq has no CURVE support "
		    "(zmq_has(\"curve\") is false); rebuild it with libsodium\n");
		return 1;
	}
	rc = transport_cert_save(path, pub, sec, name, err, sizeof(err));
	explicit_bzero(sec, sizeof(sec));
	if (rc != TRANSPORT_CERT_OK) {
		fprintf(stderr, "undertone-keygen: %s\n", err);
		return 1;
	}
	printf("%s\n", pub);
	fprintf(stderr, "undertone-keygen: wrote %s (public) and %s%s (secret, 0600)\n",
	    path, path, TRANSPORT_CERT_SECRET_SUFFIX);
	return 0;
}

int
main(int argc, char **argv)
{
	const char *name = NULL;
	int i = 1;

	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		return 0;
	}
	if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
		printf("undertone-keygen %s\n", PACKAGE_VERSION);
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "--print-public") == 0)
		return print_public(argv[2]);
	if (argc >= 3 && strcmp(argv[1], "--name") == 0) {
		name = argv[2];
		i = 3;
	}
	if (argc != i + 1 || argv[i][0] == '-' || argv[i][0] == '\0') {
		usage(stderr);
		return 2;
	}
	return generate(argv[i], name);
}

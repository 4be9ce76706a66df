/* private_file: open a file for writing that only its owner can read (mode
 * 0600 when created): the analyzer's outputs name customers' calls. */
#ifndef UNDERTONE_ANALYZER_PRIVATE_FILE_H
#define UNDERTONE_ANALYZER_PRIVATE_FILE_H

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

/* Truncated, or created 0600; NULL with errno on failure. */
static inline FILE *
private_file_open(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, 0600);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

	if (f == NULL && fd >= 0)
		close(fd);
	return f;
}

#endif

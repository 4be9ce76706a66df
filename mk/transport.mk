# transport: rules for this area (see Makefile.am).

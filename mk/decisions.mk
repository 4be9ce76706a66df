# decisions: rules for this area (see Makefile.am).

# signals: rules for this area (see Makefile.am).

/*
 * test_codec_samples: one filled example of every protocol message, shared
 * by the codec unit tests and the conformance peer. The values match the
 * examples in doc/protocol.md.
 */
#ifndef TEST_CODEC_SAMPLES_H
#define TEST_CODEC_SAMPLES_H

#include "undertone/proto.h"

#define SAMPLE_TS 1764000000000LL

void sample_event(enum proto_event_type t, struct proto_event *ev);
void sample_msg(enum proto_msg_type t, struct proto_msg *m);

#endif

/* Unit tests for signals: each frustration component on a pinned timeline,
 * the composite, evidence and explanation text, and hostile text. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "signals_timeline.h"
#include "ut_check.h"

static char ev[UT_PHRASE_MAX + 1];

static const char *
evidence(const struct tl *t, enum ut_component c, double sec)
{
	signals_evidence(&t->c->sig, &t->pol.sig, c, AT(sec), ev, sizeof(ev));
	return ev;
}

START_TEST(negativity_needs_persistence)
{
	struct tl t;
	float one, three;

	tl_open(&t, UT_CH_VOICE);
	tl_cust(&t, 0, 3, "hello I have a question about my bill", 0.1f);
	tl_cust(&t, 10, 13, "this is awful", -0.8f);
	one = tl_value(&t, UT_FC_NEGATIVITY, 13);
	tl_cust(&t, 20, 23, "still awful", -0.7f);
	tl_cust(&t, 30, 33, "terrible service", -0.8f);
	three = tl_value(&t, UT_FC_NEGATIVITY, 33);
	/* one bad sentence is half the confidence of two */
	ck_assert_float_gt(one, 0.0f);
	ck_assert_float_le(one, 0.5f);
	ck_assert_float_gt(three, 0.9f);
	ck_assert_str_eq(evidence(&t, UT_FC_NEGATIVITY, 33), "sentiment trend -0.62, 3 of last 4 turns negative");
	tl_close(&t);
}
END_TEST

START_TEST(repetition_of_own_words)
{
	struct tl t;

	tl_open(&t, UT_CH_VOICE);
	tl_cust(&t, 0, 3, "I was charged twice for my order", -0.3f);
	ck_assert_float_eq(tl_value(&t, UT_FC_REPETITION, 3), 0.0f);
	tl_cust(&t, 10, 13, "Like I said, you charged me twice!", -0.4f);
	ck_assert_float_eq_tol(tl_value(&t, UT_FC_REPETITION, 13), 0.5f, 1e-3);
	/* the evidence quotes the customer's own words of the repeated run */
	ck_assert_str_eq(evidence(&t, UT_FC_REPETITION, 13), "repeated 'charged me twice' x2");
	tl_cust(&t, 20, 23, "I was CHARGED TWICE", -0.5f);
	ck_assert_float_eq_tol(tl_value(&t, UT_FC_REPETITION, 23), 1.0f, 1e-3);
	ck_assert_str_eq(evidence(&t, UT_FC_REPETITION, 23), "repeated 'charged twice' x3");
	/* saying it twice in one turn counts once */
	tl_close(&t);
	tl_open(&t, UT_CH_VOICE);
	tl_cust(&t, 0, 3, "charged twice, charged twice, charged twice", -0.3f);
	ck_assert_float_eq(tl_value(&t, UT_FC_REPETITION, 3), 0.0f);
	tl_close(&t);
}
END_TEST

START_TEST(repetition_ignores_function_words)
{
	struct tl t;

	tl_open(&t, UT_CH_VOICE);
	tl_cust(&t, 0, 3, "I am not sure what you mean", 0.0f);
	tl_cust(&t, 10, 13, "what do you mean I am not", 0.0f);
	tl_cust(&t, 20, 23, "so what is it that you mean", 0.0f);
	ck_assert_float_eq(tl_value(&t, UT_FC_REPETITION, 23), 0.0f);
	tl_close(&t);
}
END_TEST

START_TEST(repetition_table_survives_many_turns)
{
	struct tl t;
	char text[64];
	int i;

	tl_open(&t, UT_CH_CHAT);
	tl_cust(&t, 0, 1, "my router keeps dropping", -0.2f);
	for (i = 0; i < 200; i++) {   /* far more n-grams than table slots */
		snprintf(text, sizeof(text), "word%d thing%d other%d", i, i, i);
		tl_cust(&t, 2 + i, 2 + i + 0.5, text, 0.0f);
	}
	ck_assert_float_eq(tl_value(&t, UT_FC_REPETITION, 300), 0.0f);
	tl_close(&t);
}
END_TEST

START_TEST(escalation_phrase_is_evidence)
{
	struct tl t;

	tl_open(&t, UT_CH_VOICE);
	tl_cust(&t, 0, 3, "I need to talk to the management team about billing", 0.0f);
	ck_assert_float_eq(tl_value(&t, UT_FC_ESCALATION, 3), 0.0f);   /* whole words only */
	tl_cust(&t, 10, 13, "is there a manager around", -0.1f);
	ck_assert_float_eq_tol(tl_value(&t, UT_FC_ESCALATION, 13), 0.6f, 1e-4);
	ck_assert(!signals_request_since(&t.c->sig, T0));   /* a mention, not a request */
	tl_cust(&t, 20, 24, "Get me your MANAGER, now.", -0.6f);
	ck_assert_float_eq_tol(tl_value(&t, UT_FC_ESCALATION, 24), 1.0f, 1e-4);
	ck_assert(signals_request_since(&t.c->sig, AT(24)));
	ck_assert(!signals_request_since(&t.c->sig, AT(25)));
	ck_assert_str_eq(evidence(&t, UT_FC_ESCALATION, 24), "'get me your manager'");
	ck_assert_uint_eq(t.c->sig.requests, 1);
	/* the level decays by half every event half-life (120 s) */
	ck_assert_float_eq_tol(tl_value(&t, UT_FC_ESCALATION, 144), 0.5f, 1e-3);
	ck_assert_float_eq_tol(tl_value(&t, UT_FC_ESCALATION, 264), 0.25f, 1e-3);
	tl_close(&t);
}
END_TEST

START_TEST(third_time_and_cancel)
{
	struct tl t;

	tl_open(&t, UT_CH_VOICE);
	tl_cust(&t, 0, 3, "this is the third time I'm calling about this", -0.4f);
	ck_assert_float_eq_tol(tl_value(&t, UT_FC_ESCALATION, 3), 0.8f, 1e-4);
	ck_assert_str_eq(evidence(&t, UT_FC_ESCALATION, 3), "'third time'");
	tl_cust(&t, 10, 13, "I will cancel my account", -0.5f);
	ck_assert_str_eq(evidence(&t, UT_FC_ESCALATION, 13), "'cancel my account'");
	tl_close(&t);
}
END_TEST

/* A recurring problem said in so many words is escalation evidence, on a
 * written channel too (its level decays ten times slower there). */
START_TEST(recurring_problem_phrases)
{
	struct tl t;

	tl_open(&t, UT_CH_SOCIAL);
	tl_cust(&t, 0, 3, "sent. this keeps happening, it's the third outage this month", -0.7f);
	ck_assert_float_eq_tol(tl_value(&t, UT_FC_ESCALATION, 3), 0.6f, 1e-4);
	ck_assert_str_eq(evidence(&t, UT_FC_ESCALATION, 3), "'keeps happening'");
	tl_cust(&t, 100, 103, "and it happened again today, over and over", -0.5f);
	ck_assert_str_eq(evidence(&t, UT_FC_ESCALATION, 103), "'over and over'");
	tl_close(&t);
}
END_TEST

/* Typographic apostrophes and possessives: "I’m" is the stop word
 * "i'm", "manager's" is "manager". */
START_TEST(apostrophes_and_possessives)
{
	struct tl t;

	tl_open(&t, UT_CH_CHAT);
	tl_cust(&t, 0, 1, "I\xe2\x80\x99m tired", -0.3f);
	tl_cust(&t, 2, 3, "I\xe2\x80\x99m tired", -0.3f);
	tl_cust(&t, 4, 5, "i'm TIRED", -0.3f);
	ck_assert_float_eq(tl_value(&t, UT_FC_REPETITION, 5), 0.0f);
	tl_cust(&t, 6, 7, "put me through to your manager\xe2\x80\x99s office", -0.5f);
	ck_assert(signals_request_since(&t.c->sig, AT(7)));
	ck_assert_str_eq(evidence(&t, UT_FC_ESCALATION, 7), "'to your manager'");
	tl_cust(&t, 8, 9, "the company's late fees", -0.3f);
	tl_cust(&t, 10, 11, "your company\xe2\x80\x99s late fees again", -0.3f);
	ck_assert_str_eq(evidence(&t, UT_FC_REPETITION, 11), "repeated 'company\xe2\x80\x99s late fees' x2");
	tl_close(&t);
}
END_TEST

/* Agent speaks 0-5 s. Customer starting at 4 s interrupts; starting after
 * the agent finished, or overlapping by less than 0.3 s, does not. */
START_TEST(interruptions_from_overlapping_timing)
{
	struct tl t;

	tl_open(&t, UT_CH_VOICE);
	tl_agent(&t, 0, 5);
	tl_cust(&t, 5.2, 7, "okay so what now", 0.0f);
	ck_assert_uint_eq(t.c->sig.interruptions, 0);
	tl_agent(&t, 8, 12);
	tl_cust(&t, 11.8, 14, "no wait listen", -0.2f);   /* 0.2 s overlap */
	ck_assert_uint_eq(t.c->sig.interruptions, 0);
	tl_agent(&t, 15, 20);
	tl_cust(&t, 18, 21, "no no that is wrong", -0.4f);
	ck_assert_uint_eq(t.c->sig.interruptions, 1);
	ck_assert_float_eq_tol(tl_value(&t, UT_FC_INTERRUPTION, 21), 0.35f, 1e-3);
	/* the customer's event arrives before the agent's: counted once, at
	 * the agent's event */
	tl_cust(&t, 23, 24, "hang on a second", -0.2f);
	tl_agent(&t, 22, 26);
	ck_assert_uint_eq(t.c->sig.interruptions, 2);
	tl_eval(&t, 27);
	ck_assert_uint_eq(t.c->sig.interruptions, 2);
	/* a one-word backchannel is not an interruption */
	tl_cust(&t, 32, 32.5, "mhm", 0.0f);
	tl_agent(&t, 30, 35);
	ck_assert_uint_eq(t.c->sig.interruptions, 2);
	ck_assert_str_eq(evidence(&t, UT_FC_INTERRUPTION, 35), "2 interruptions of the agent");
	tl_close(&t);
}
END_TEST

START_TEST(pace_against_own_baseline)
{
	struct tl t;

	tl_open(&t, UT_CH_VOICE);
	/* baseline: 6 words in 3 s = 2 words/s, three times */
	tl_cust(&t, 0, 3, "one two three four five six", 0.0f);
	tl_cust(&t, 10, 13, "one two three four five six", 0.0f);
	tl_cust(&t, 20, 23, "one two three four five six", 0.0f);
	ck_assert_float_eq(tl_value(&t, UT_FC_PACE, 23), 0.0f);
	/* same pace: nothing */
	tl_cust(&t, 30, 33, "seven eight nine ten eleven twelve", 0.0f);
	ck_assert_float_eq(tl_value(&t, UT_FC_PACE, 33), 0.0f);
	/* 12 words in 3 s = 4 words/s: twice the baseline, full */
	tl_cust(&t, 40, 43, "a b c d e f g h i j k l", 0.0f);
	ck_assert_float_eq_tol(tl_value(&t, UT_FC_PACE, 43), 1.0f, 1e-4);
	ck_assert_str_eq(evidence(&t, UT_FC_PACE, 43), "4.0 words/s vs own 2.0");
	tl_close(&t);
	/* written channels have no speaking pace */
	tl_open(&t, UT_CH_CHAT);
	tl_cust(&t, 0, 3, "one two three four five six", 0.0f);
	tl_cust(&t, 10, 13, "one two three four five six", 0.0f);
	tl_cust(&t, 20, 23, "one two three four five six", 0.0f);
	tl_cust(&t, 40, 41, "a b c d e f g h i j k l", 0.0f);
	ck_assert_float_eq(tl_value(&t, UT_FC_PACE, 41), 0.0f);
	tl_close(&t);
}
END_TEST

START_TEST(emphasis_caps_and_exclamations)
{
	struct tl t;

	tl_open(&t, UT_CH_CHAT);
	tl_cust(&t, 0, 1, "My PIN and ID do not work", -0.2f);   /* acronyms */
	ck_assert_float_eq(tl_value(&t, UT_FC_EMPHASIS, 1), 0.0f);
	tl_cust(&t, 5, 6, "THIS IS RIDICULOUS I WANT MY MONEY BACK", -0.7f);
	ck_assert_float_eq_tol(tl_value(&t, UT_FC_EMPHASIS, 6), 1.0f, 1e-4);
	ck_assert_str_eq(evidence(&t, UT_FC_EMPHASIS, 6), "5 of 7 words in capitals");
	tl_close(&t);
	tl_open(&t, UT_CH_EMAIL);
	tl_cust(&t, 0, 1, "where is my refund!!!", -0.5f);
	ck_assert_float_eq_tol(tl_value(&t, UT_FC_EMPHASIS, 1), 0.6f, 1e-4);
	ck_assert_str_eq(evidence(&t, UT_FC_EMPHASIS, 1), "'!!!'");
	tl_close(&t);
	/* transcribed speech: capitals and punctuation are ASR artefacts */
	tl_open(&t, UT_CH_VOICE);
	tl_cust(&t, 0, 1, "THIS IS RIDICULOUS I WANT MY MONEY BACK!!!", -0.7f);
	ck_assert_float_eq(tl_value(&t, UT_FC_EMPHASIS, 1), 0.0f);
	tl_close(&t);
}
END_TEST

START_TEST(silence_gaps_and_holds)
{
	struct tl t;

	tl_open(&t, UT_CH_VOICE);
	tl_cust(&t, 0, 5, "my internet is down again", -0.3f);
	tl_agent(&t, 50, 55);   /* 45 s before the agent replies */
	ck_assert_float_eq_tol(tl_value(&t, UT_FC_SILENCE, 50), 0.625f, 1e-3);
	ck_assert_str_eq(evidence(&t, UT_FC_SILENCE, 55), "silence of 45s before a reply");
	tl_close(&t);

	tl_open(&t, UT_CH_VOICE);
	tl_cust(&t, 0, 5, "can you check my order", 0.0f);
	tl_agent(&t, 6, 8);
	ck_assert_int_eq(call_hold(t.c, true, AT(10)), CALL_OK);
	/* ongoing hold: 2 min counts from 60 s to 300 s */
	ck_assert_float_eq_tol(tl_value(&t, UT_FC_SILENCE, 130), 0.25f, 1e-3);
	ck_assert_str_eq(evidence(&t, UT_FC_SILENCE, 130), "on hold for 2m00s");
	ck_assert_int_eq(call_hold(t.c, false, AT(190)), CALL_OK);
	ck_assert_float_eq_tol(tl_value(&t, UT_FC_SILENCE, 190), 0.5f, 1e-3);
	ck_assert_str_eq(evidence(&t, UT_FC_SILENCE, 190), "hold of 3m00s");
	/* the hold is not also a silence before the next utterance */
	tl_agent(&t, 191, 195);
	ck_assert_float_eq_tol(tl_value(&t, UT_FC_SILENCE, 195), 0.5f * exp2f(-5.0f / 120.0f), 1e-3);
	tl_close(&t);
}
END_TEST

START_TEST(voice_against_own_baseline)
{
	struct tl t;
	struct call_utterance u;
	int i;

	tl_open(&t, UT_CH_VOICE);
	memset(&u, 0, sizeof(u));
	u.text = "words here";
	u.len = 10;
	u.has_voice = true;
	for (i = 0; i < 4; i++) {
		u.start_ms = AT(i * 10);
		u.end_ms = u.ts_ms = AT(i * 10 + 2);
		u.loudness_dbfs = i < 3 ? -30.0f : -20.0f;
		u.pitch_hz = 200.0f;
		ck_assert_int_eq(call_customer(t.c, &t.pol.sig, &u), CALL_OK);
	}
	ck_assert_float_eq_tol(tl_value(&t, UT_FC_VOICE, 32), 1.0f, 1e-4);
	ck_assert_str_eq(evidence(&t, UT_FC_VOICE, 32), "loudness +10.0 dB, pitch +0% vs own baseline");
	/* pitch: 250 Hz vs 200 is +25%, half way from 1.10 to 1.40 */
	u.start_ms = AT(400);
	u.end_ms = u.ts_ms = AT(402);
	u.loudness_dbfs = -30.0f;
	u.pitch_hz = 250.0f;
	ck_assert_int_eq(call_customer(t.c, &t.pol.sig, &u), CALL_OK);
	ck_assert_float_eq_tol(tl_value(&t, UT_FC_VOICE, 402), 0.5f, 1e-3);
	/* implausible voice figures are ignored, not scored */
	u.start_ms = AT(500);
	u.end_ms = u.ts_ms = AT(502);
	u.pitch_hz = 5.0f;
	ck_assert_int_eq(call_customer(t.c, &t.pol.sig, &u), CALL_OK);
	tl_close(&t);
}
END_TEST

START_TEST(composite_is_weighted_sum_and_explained)
{
	struct tl t;
	struct signals_frustration f;
	char buf[512];
	float sum = 0.0f;
	int i;

	tl_open(&t, UT_CH_VOICE);
	tl_cust(&t, 0, 3, "I was charged twice", -0.5f);
	tl_cust(&t, 10, 13, "you charged me twice", -0.6f);
	tl_cust(&t, 20, 23, "charged twice, I want to speak to a manager", -0.7f);
	signals_compute(&t.c->sig, &t.pol.sig, AT(23), &f);
	for (i = 0; i < UT_FC__COUNT; i++) {
		ck_assert_float_eq_tol(f.comp[i].contribution, f.comp[i].weight * f.comp[i].value, 1e-6);
		ck_assert_float_eq_tol(f.comp[i].weight, t.pol.sig.weight[i], 1e-6);
		sum += f.comp[i].contribution;
	}
	ck_assert_float_eq_tol(f.value, sum > 1.0f ? 1.0f : sum, 1e-6);
	ck_assert_float_gt(f.value, 0.7f);
	signals_explain(&t.c->sig, &t.pol.sig, &f, AT(23), buf, sizeof(buf));
	ck_assert_msg(strstr(buf, "escalation 0.30 ('speak to a manager')") != NULL, "%s", buf);
	ck_assert_msg(strstr(buf, "repetition 0.25 (repeated 'charged twice' x3)") != NULL, "%s", buf);
	ck_assert_msg(strncmp(buf, "frustration 0.", 14) == 0, "%s", buf);
	/* largest contribution first */
	ck_assert_msg(strstr(buf, "escalation") < strstr(buf, "repetition"), "%s", buf);
	/* a short buffer is clipped, still terminated */
	ck_assert_uint_lt(signals_explain(&t.c->sig, &t.pol.sig, &f, AT(23), buf, 20), 20);
	ck_assert_uint_eq(strlen(buf), 19);
	tl_close(&t);
}
END_TEST

START_TEST(capped_and_empty_explanations)
{
	struct tl t;
	struct signals_frustration f;
	char buf[512];
	int i;

	tl_open(&t, UT_CH_CHAT);
	signals_compute(&t.c->sig, &t.pol.sig, AT(1), &f);
	ck_assert_float_eq(f.value, 0.0f);
	signals_explain(&t.c->sig, &t.pol.sig, &f, AT(1), buf, sizeof(buf));
	ck_assert_str_eq(buf, "frustration 0.00 (no signals)");
	for (i = 0; i < UT_FC__COUNT; i++)
		t.pol.sig.weight[i] = 1.0f;
	tl_cust(&t, 0, 1, "CANCEL MY ACCOUNT NOW!!!!!", -0.9f);
	tl_cust(&t, 2, 3, "CANCEL MY ACCOUNT NOW!!!!!", -0.9f);
	tl_cust(&t, 4, 5, "CANCEL MY ACCOUNT NOW LAWYER!!!!!", -0.9f);
	signals_compute(&t.c->sig, &t.pol.sig, AT(5), &f);
	ck_assert(f.capped);
	ck_assert_float_eq(f.value, 1.0f);
	signals_explain(&t.c->sig, &t.pol.sig, &f, AT(5), buf, sizeof(buf));
	ck_assert_msg(strncmp(buf, "frustration 1.00 (capped at 1) = ", 33) == 0, "%s", buf);
	tl_close(&t);
}
END_TEST

START_TEST(hostile_text_is_bounded)
{
	struct tl t;
	char *big = malloc(UT_TEXT_MAX * 2);
	unsigned seed = 12345;
	int i, k;

	ck_assert_ptr_nonnull(big);
	for (i = 0; i < UT_TEXT_MAX * 2; i++)
		big[i] = (i % 2) ? ' ' : 'a';
	tl_open(&t, UT_CH_CHAT);
	tl_cust(&t, 0, 1, "", 0.0f);
	{
		struct call_utterance u;

		memset(&u, 0, sizeof(u));
		u.ts_ms = u.start_ms = u.end_ms = AT(2);
		u.text = big;
		u.len = UT_TEXT_MAX * 2;   /* longer than allowed: clipped */
		ck_assert_int_eq(call_customer(t.c, &t.pol.sig, &u), CALL_OK);
		u.text = NULL;
		u.len = 50;
		ck_assert_int_eq(call_customer(t.c, &t.pol.sig, &u), CALL_OK);
		for (k = 0; k < 50; k++) {   /* random bytes, NULs included */
			for (i = 0; i < 300; i++) {
				seed = seed * 1103515245u + 12345u;
				big[i] = (char)(seed >> 16);
			}
			u.ts_ms = u.start_ms = u.end_ms = AT(3 + k);
			u.text = big;
			u.len = 300;
			ck_assert_int_eq(call_customer(t.c, &t.pol.sig, &u), CALL_OK);
		}
	}
	tl_eval(&t, 60);
	tl_close(&t);
	free(big);
}
END_TEST

START_TEST(phrases_config)
{
	struct signals_config cfg;

	signals_config_default(&cfg);
	ck_assert_uint_gt(cfg.nphrases, 30);
	ck_assert_int_eq(signals_config_add_phrase(&cfg, "", 1.0f, false), -1);
	ck_assert_int_eq(signals_config_add_phrase(&cfg, "   ", 1.0f, false), -1);
	ck_assert_int_eq(signals_config_add_phrase(&cfg, "a b c d e f g", 1.0f, false), -1);
	ck_assert_int_eq(signals_config_add_phrase(&cfg, "x", 1.5f, false), -1);
	ck_assert_int_eq(signals_config_add_phrase(&cfg, "x", NAN, false), -1);
	ck_assert_int_eq(signals_config_add_phrase(&cfg, "bad \xff utf8", 1.0f, false), -1);
	ck_assert_int_eq(signals_config_add_phrase(&cfg, "Chargeback", 0.7f, false), 0);
	ck_assert_str_eq(cfg.phrases[cfg.nphrases - 1].text, "chargeback");
	while (cfg.nphrases < SIGNALS_PHRASES_MAX)
		ck_assert_int_eq(signals_config_add_phrase(&cfg, "filler", 0.1f, false), 0);
	ck_assert_int_eq(signals_config_add_phrase(&cfg, "one more", 0.1f, false), -1);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("signals");
	TCase *tc = tcase_create("components");

	tcase_add_test(tc, negativity_needs_persistence);
	tcase_add_test(tc, repetition_of_own_words);
	tcase_add_test(tc, repetition_ignores_function_words);
	tcase_add_test(tc, repetition_table_survives_many_turns);
	tcase_add_test(tc, escalation_phrase_is_evidence);
	tcase_add_test(tc, third_time_and_cancel);
	tcase_add_test(tc, recurring_problem_phrases);
	tcase_add_test(tc, apostrophes_and_possessives);
	tcase_add_test(tc, interruptions_from_overlapping_timing);
	tcase_add_test(tc, pace_against_own_baseline);
	tcase_add_test(tc, emphasis_caps_and_exclamations);
	tcase_add_test(tc, silence_gaps_and_holds);
	tcase_add_test(tc, voice_against_own_baseline);
	tcase_add_test(tc, composite_is_weighted_sum_and_explained);
	tcase_add_test(tc, capped_and_empty_explanations);
	tcase_add_test(tc, hostile_text_is_bounded);
	tcase_add_test(tc, phrases_config);
	suite_add_tcase(s, tc);
	return ut_check_run(s);
}

/* decide: the decision flow. A decision is written to the log first
 * (durably), only then shown as recorded, then sent to the analyzer; it is
 * shown as shared only once the analyzer acknowledged or echoed it. */
#include "app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "undertone/utf8.h"

static const char *const sev_labels[] = {
	"severity 1 - watch", "severity 2 - act soon", "severity 3 - act now" };
static const char *const clear_labels[] = {
	"clear the flag", "downgrade to severity 1", "downgrade to severity 2" };

bool decide_active(const struct app *a) { return a->flow.step != DECIDE_NONE; }

/* The suggestion a decision answers: the pane's selection when it has the
 * focus, else the oldest suggestion awaiting a decision on the call. */
static const struct view_sugg *pick_sugg(struct app *a, const struct view_call *c)
{
	const struct view_sugg *list[64];
	if (a->focus == APP_FOCUS_SUGG) {
		size_t n = view_sugg_pending(a->view, list, 64);
		if (n > 64)
			n = 64;
		return a->sugg_sel >= 0 && (size_t)a->sugg_sel < n ? list[a->sugg_sel] : NULL;
	}
	if (!c)
		return NULL;
	size_t n = view_sugg_for_call(a->view, c->id, list, 64);
	for (size_t i = 0; i < n; i++)
		if (!list[i]->cleared && !list[i]->decided)
			return list[i];
	return NULL;
}

/* The call a decision on a call is about: the pane's suggestion's call when
 * the pane has the focus, else the selected row. */
static const struct view_call *target_call(struct app *a)
{
	if (a->focus == APP_FOCUS_SUGG) {
		const struct view_sugg *s = pick_sugg(a, NULL);
		return s ? view_call_get(a->view, s->call_id, false) : NULL;
	}
	return view_selected(a->view);
}

void decide_start(struct app *a, int kind)
{
	struct decide *f = &a->flow;
	const struct view_call *c = target_call(a);
	const struct view_sugg *s = NULL;
	memset(f, 0, sizeof *f);
	f->kind = kind;
	switch (kind) {
	case UT_DE_ACKNOWLEDGE: case UT_DE_ACCEPT: case UT_DE_DISMISS: case UT_DE_SNOOZE:
		s = pick_sugg(a, c);
		if (!s) {
			app_set_msg(a, true, "No suggestion awaiting a decision here");
			return;
		}
		snprintf(f->sugg_id, sizeof f->sugg_id, "%s", s->id);
		snprintf(f->call_id, sizeof f->call_id, "%s", s->call_id);
		f->step = DECIDE_REASON;
		break;
	case UT_DE_RAISE: case UT_DE_CLEAR: case UT_DE_TAG:
		if (!c) {
			app_set_msg(a, true, "Select a call first");
			return;
		}
		if (kind == UT_DE_CLEAR && view_call_severity(c) == 0) {
			app_set_msg(a, true, "This call has no flag to clear");
			return;
		}
		if (kind == UT_DE_TAG && a->cfg->ntags == 0) {
			app_set_msg(a, true, "No tag labels are configured");
			return;
		}
		snprintf(f->call_id, sizeof f->call_id, "%s", c->id);
		f->step = kind == UT_DE_TAG ? DECIDE_LABEL : DECIDE_SEVERITY;
		break;
	default:
		return;
	}
	if (f->step == DECIDE_REASON && a->cfg->nreasons == 0)
		f->step = DECIDE_TEXT;
	const struct view_call *tc = view_call_get(a->view, f->call_id, false);
	if (tc) {
		f->call = *tc;
		f->has_call = true;
	}
	a->dirty = true;
}

int decide_choices(const struct app *a, const char **labels, int max)
{
	const struct decide *f = &a->flow;
	const struct config_console *cfg = a->cfg;
	int n = 0;
	switch (f->step) {
	case DECIDE_SEVERITY:
		if (f->kind == UT_DE_CLEAR) {
			const struct view_call *c = view_call_get(a->view, f->call_id, false);
			int cur = c ? view_call_severity(c) : 1;
			for (int i = 0; i < cur && i < 3 && n < max; i++)
				labels[n++] = clear_labels[i];
		} else {
			for (int i = 0; i < 3 && n < max; i++)
				labels[n++] = sev_labels[i];
		}
		break;
	case DECIDE_LABEL:
		for (size_t i = 0; i < cfg->ntags && n < max; i++)
			labels[n++] = cfg->tags[i].label[0] ? cfg->tags[i].label : cfg->tags[i].code;
		break;
	case DECIDE_REASON:
		for (size_t i = 0; i < cfg->nreasons && n < max; i++)
			labels[n++] = cfg->reasons[i].label[0] ? cfg->reasons[i].label : cfg->reasons[i].code;
		break;
	case DECIDE_DURATION: {
		static char dur[CONFIG_SNOOZE_MAX][32];
		for (size_t i = 0; i < cfg->nsnooze && n < max; i++) {
			unsigned s = cfg->snooze[i];
			if (s >= 3600 && s % 3600 == 0)
				snprintf(dur[i], sizeof dur[i], "%u h", s / 3600);
			else if (s >= 60 && s % 60 == 0)
				snprintf(dur[i], sizeof dur[i], "%u min", s / 60);
			else
				snprintf(dur[i], sizeof dur[i], "%u s", s);
			labels[n++] = dur[i];
		}
		break;
	}
	default:
		break;
	}
	return n;
}

const char *decide_question(const struct app *a)
{
	switch (a->flow.step) {
	case DECIDE_SEVERITY:
		return a->flow.kind == UT_DE_CLEAR ? "Clear or downgrade to:" : "Severity of the flag:";
	case DECIDE_LABEL: return "Tag label:";
	case DECIDE_REASON: return "Reason:";
	case DECIDE_DURATION:
		return a->flow.kind == UT_DE_SNOOZE ? "Snooze for:" : "Suppress the system flag for:";
	case DECIDE_TEXT: return "Note (optional), Enter to record, Esc to cancel:";
	default: return "";
	}
}

void decide_title(const struct app *a, char *out, size_t outsz)
{
	const struct decide *f = &a->flow;
	static const char *const verbs[UT_DE__COUNT] = { "Acknowledge", "Accept", "Dismiss",
		"Snooze", "Raise a flag on", "Clear the flag on", "Tag" };
	const char *verb = (unsigned)f->kind < UT_DE__COUNT ? verbs[f->kind] : "?";
	if (f->sugg_id[0])
		snprintf(out, outsz, "%s suggestion %s (call %s)", verb, f->sugg_id, f->call_id);
	else
		snprintf(out, outsz, "%s call %s", verb, f->call_id);
}

static void next_step(struct app *a)
{
	struct decide *f = &a->flow;
	switch (f->step) {
	case DECIDE_SEVERITY:
		f->step = a->cfg->nreasons ? DECIDE_REASON : DECIDE_TEXT;
		break;
	case DECIDE_LABEL:
		f->step = DECIDE_TEXT;
		break;
	case DECIDE_REASON:
		f->step = (f->kind == UT_DE_SNOOZE || f->kind == UT_DE_CLEAR) && a->cfg->nsnooze
			? DECIDE_DURATION : DECIDE_TEXT;
		break;
	case DECIDE_DURATION:
		f->step = DECIDE_TEXT;
		break;
	default:
		break;
	}
	f->choice = 0;
}

static void snapshot_signals(struct dstore_signals *sig, const struct view_call *c)
{
	float pts[DSTORE_SNAP_TREND];
	int64_t ts[DSTORE_SNAP_TREND];
	sig->has_sentiment = 1;
	sig->sent_latest = c->sentiment;
	sig->sent_ewma = c->sent_ewma;
	sig->sent_mean = c->sent_mean;
	sig->sent_slope = c->sent_slope;
	int n = view_call_trend(c, pts, ts, DSTORE_SNAP_TREND);
	sig->trend_n = (size_t)n;
	for (int i = 0; i < n; i++) {
		sig->trend[i].t_ms = ts[i];
		sig->trend[i].value = pts[i];
	}
	sig->has_frustration = 1;
	sig->frustration = c->frustration;
	for (int i = 0; i < UT_FC__COUNT && c->has_comp; i++) {
		sig->comp[i].present = 1;
		sig->comp[i].value = c->comp[i].value;
		sig->comp[i].contribution = c->comp[i].contribution;
		utf8_copy_clip(sig->comp[i].evidence, sizeof sig->comp[i].evidence, c->comp[i].evidence);
	}
}

static void build_record(struct app *a, struct dstore_record *r)
{
	const struct decide *f = &a->flow;
	const struct config_console *cfg = a->cfg;
	dstore_record_init(r);
	dstore_uuid(r->uuid);
	r->time_ms = a->wall_ms;
	utf8_copy_clip(r->display_name, sizeof r->display_name, cfg->display_name);
	utf8_copy_clip(r->call_id, sizeof r->call_id, f->call_id);
	const struct view_call *c = f->has_call ? &f->call : NULL;
	if (c) {
		utf8_copy_clip(r->agent, sizeof r->agent, c->agent);
		utf8_copy_clip(r->queue, sizeof r->queue, c->queue);
		snapshot_signals(&r->signals, c);
	}
	const struct view_sugg *s = f->sugg_id[0] ? view_sugg_get(a->view, f->sugg_id, false) : NULL;
	if (s) {
		r->sug.present = 1;
		utf8_copy_clip(r->sug.id, sizeof r->sug.id, s->id);
		utf8_copy_clip(r->sug.rule, sizeof r->sug.rule, s->rule);
		r->sug.kind = (enum ut_suggestion_kind)s->kind;
		r->sug.severity = s->severity < UT_SEVERITY_MIN ? UT_SEVERITY_MIN : s->severity;
		r->sug.raised_ms = s->raised_ms;
		for (int i = 0; i < s->n_reasons && i < UT_REASONS_MAX; i++)
			snprintf(r->sug.reasons[r->sug.reasons_n++], sizeof r->sug.reasons[0], "%s%s%s",
				s->reasons[i].signal, s->reasons[i].phrase[0] ? ": " : "",
				s->reasons[i].phrase);
		utf8_copy_clip(r->policy_version, sizeof r->policy_version, s->policy);
	}
	r->decision = f->kind;
	if (f->kind == UT_DE_RAISE || f->kind == UT_DE_CLEAR)
		r->severity = f->severity;
	if (f->kind == UT_DE_SNOOZE || f->kind == UT_DE_CLEAR)
		r->until_ms = f->duration_s ? a->wall_ms + (int64_t)f->duration_s * 1000 : 0;
	if (f->kind == UT_DE_TAG && (size_t)f->label < cfg->ntags)
		utf8_copy_clip(r->tag, sizeof r->tag, cfg->tags[f->label].code);
	if ((size_t)f->reason < cfg->nreasons && cfg->nreasons)
		utf8_copy_clip(r->reason_code, sizeof r->reason_code, cfg->reasons[f->reason].code);
	else if (f->kind == UT_DE_TAG)
		utf8_copy_clip(r->reason_code, sizeof r->reason_code, r->tag);
	utf8_copy_clip(r->free_text, sizeof r->free_text, f->text);
}

static void record_to_proto(const struct app *a, const struct dstore_record *r,
	struct proto_decision *d)
{
	memset(d, 0, sizeof *d);
	utf8_copy_clip(d->uuid, sizeof d->uuid, r->uuid);
	utf8_copy_clip(d->suggestion, sizeof d->suggestion, r->sug.present ? r->sug.id : "");
	utf8_copy_clip(d->call, sizeof d->call, r->call_id);
	utf8_copy_clip(d->queue, sizeof d->queue, r->queue);
	d->kind = (enum ut_decision)r->decision;
	utf8_copy_clip(d->reason, sizeof d->reason, r->reason_code);
	utf8_copy_clip(d->text, sizeof d->text, r->free_text);
	utf8_copy_clip(d->supervisor, sizeof d->supervisor, r->supervisor[0] ? r->supervisor : a->user);
	utf8_copy_clip(d->name, sizeof d->name, r->display_name);
	utf8_copy_clip(d->host, sizeof d->host, r->host[0] ? r->host : a->host);
	d->at_ms = r->time_ms;
	d->severity = r->decision == UT_DE_RAISE || r->decision == UT_DE_CLEAR ? r->severity : 0;
	utf8_copy_clip(d->label, sizeof d->label, r->tag);
	d->until_ms = r->until_ms;
	utf8_copy_clip(d->policy, sizeof d->policy, r->policy_version);
}

static struct app_inflight *inflight_find(struct app *a, const char *uuid)
{
	for (size_t i = 0; i < a->ninflight; i++)
		if (strcmp(a->inflight[i].uuid, uuid) == 0)
			return &a->inflight[i];
	return NULL;
}

/* Track the decision until the analyzer acknowledges it, and send it if
 * there is a connection (else the forwarding sweep sends it later). */
static void forward(struct app *a, const struct dstore_record *r)
{
	struct app_inflight *fl = inflight_find(a, r->uuid);
	if (!fl && a->ninflight < APP_INFLIGHT_MAX) {
		fl = &a->inflight[a->ninflight++];
		snprintf(fl->uuid, sizeof fl->uuid, "%s", r->uuid);
	}
	if (!fl)
		return;
	struct proto_decision d;
	record_to_proto(a, r, &d);
	fl->sent_ms = a->now_ms;
	if (a->fc)
		feed_client_submit(a->fc, &d);
}

/* The view and the local state follow a recorded (or kept) decision. */
static void show_local(struct app *a, const struct dstore_record *r, enum view_dec_state st)
{
	struct proto_decision d;
	record_to_proto(a, r, &d);
	app_apply_decision(a, &d, st);
	struct view_decision *vd = view_dec_find(a->view, r->uuid);
	if (vd)
		vd->state = st; /* the local state, never "shared" before the ack */
}

static void submit(struct app *a)
{
	struct dstore_record *r = malloc(sizeof *r);
	if (!r) {
		app_set_msg(a, true, "Out of memory: decision not recorded");
		return;
	}
	build_record(a, r);
	a->flow.step = DECIDE_NONE;
	int rc = a->rec ? recorder_append(a->rec, r) : DSTORE_EIO;
	if (rc == DSTORE_OK) {
		a->persist_err[0] = '\0';
		show_local(a, r, VIEW_DEC_RECORDED);
		app_set_msg(a, false, "Recorded %s on %s (sending to the analyzer)",
			model_decision_name((enum ut_decision)r->decision), r->call_id);
		forward(a, r);
		free(r);
		return;
	}
	const char *why = a->rec ? recorder_error(a->rec, rc) : a->rec_open_err;
	if (a->nunrec < APP_UNRECORDED_MAX && (!a->rec || dstore_err_retryable(rc) || rc == DSTORE_EREADONLY)) {
		a->unrec[a->nunrec++] = r;
		show_local(a, r, VIEW_DEC_UNRECORDED);
		snprintf(a->persist_err, sizeof a->persist_err,
			"Decision log error: %s - %zu decision(s) NOT YET RECORDED, kept in memory, retrying",
			why, a->nunrec);
		a->unrec_retry_ms = a->now_ms + APP_RECORD_RETRY_MS;
		a->dirty = true;
		return;
	}
	app_set_msg(a, true, "Decision NOT recorded: %s", why);
	free(r);
}

static void text_backspace(struct decide *f)
{
	while (f->text_len > 0) {
		unsigned char ch = (unsigned char)f->text[--f->text_len];
		if ((ch & 0xC0) != 0x80)
			break;
	}
	f->text[f->text_len] = '\0';
}

static void text_add(struct decide *f, int32_t key)
{
	char enc[4];
	if (key < 0x20 || key == 0x7f || key >= CONFIG_KEY_NAMED)
		return;
	size_t n = utf8_encode((uint32_t)key, enc);
	if (!n || f->text_len + n > UT_FREETEXT_MAX)
		return;
	memcpy(f->text + f->text_len, enc, n);
	f->text_len += n;
	f->text[f->text_len] = '\0';
}

static void choose(struct app *a, int idx)
{
	struct decide *f = &a->flow;
	switch (f->step) {
	case DECIDE_SEVERITY:
		f->severity = f->kind == UT_DE_CLEAR ? idx : idx + 1;
		break;
	case DECIDE_LABEL: f->label = idx; break;
	case DECIDE_REASON: f->reason = idx; break;
	case DECIDE_DURATION: f->duration_s = a->cfg->snooze[idx]; break;
	default: break;
	}
	next_step(a);
}

void decide_key(struct app *a, int32_t key)
{
	struct decide *f = &a->flow;
	const int32_t ESC = CONFIG_KEY_NAMED + CONFIG_NK_ESC, ENTER = CONFIG_KEY_NAMED + CONFIG_NK_ENTER;
	a->dirty = true;
	if (key == ESC) {
		f->step = DECIDE_NONE;
		app_set_msg(a, false, "Decision cancelled");
		return;
	}
	if (f->step == DECIDE_TEXT) {
		if (key == ENTER || key == '\r' || key == '\n')
			submit(a);
		else if (key == CONFIG_KEY_NAMED + CONFIG_NK_BACKSPACE || key == 8 || key == 0x7f)
			text_backspace(f);
		else
			text_add(f, key);
		return;
	}
	const char *labels[DECIDE_CHOICES_MAX];
	int n = decide_choices(a, labels, DECIDE_CHOICES_MAX);
	if (n <= 0) {
		next_step(a);
		return;
	}
	if (key == CONFIG_KEY_NAMED + CONFIG_NK_UP || key == 'k')
		f->choice = f->choice > 0 ? f->choice - 1 : 0;
	else if (key == CONFIG_KEY_NAMED + CONFIG_NK_DOWN || key == 'j')
		f->choice = f->choice + 1 < n ? f->choice + 1 : n - 1;
	else if (key >= '1' && key <= '9' && key - '1' < n)
		choose(a, key - '1');
	else if (key == ENTER || key == '\r' || key == '\n')
		choose(a, f->choice);
}

static void mark_shared(struct app *a, const char *uuid)
{
	struct app_inflight *fl = inflight_find(a, uuid);
	if (fl)
		*fl = a->inflight[--a->ninflight];
	if (a->rec)
		recorder_forwarded(a->rec, uuid, a->wall_ms);
	struct view_decision *vd = view_dec_find(a->view, uuid);
	if (vd && vd->state != VIEW_DEC_REMOTE)
		vd->state = VIEW_DEC_SHARED;
	a->dirty = true;
}

void decide_echoed(struct app *a, const char *uuid)
{
	if (inflight_find(a, uuid))
		mark_shared(a, uuid);
}

void decide_reply(struct app *a, const struct proto_msg *m)
{
	const struct proto_ack *k = &m->u.ack;
	if (!k->uuid[0] || !inflight_find(a, k->uuid))
		return;
	if (m->type == PROTO_MSG_DECISION_ACK && (k->ok || strcmp(k->code, "duplicate") == 0)) {
		mark_shared(a, k->uuid);
		app_set_msg(a, false, "Decision shared with the floor");
		return;
	}
	/* Refused: it stays recorded locally; do not resend it this session. */
	inflight_find(a, k->uuid)->sent_ms = INT64_MAX / 2;
	char text[UT_PHRASE_MAX + 1];
	text_safe_copy(text, sizeof text, k->text[0] ? k->text : k->code);
	app_set_msg(a, true, "Analyzer refused decision: %s (kept in the local log)", text);
}

static void retry_unrecorded(struct app *a)
{
	if (!a->nunrec || a->now_ms < a->unrec_retry_ms || !a->rec)
		return;
	size_t keep = 0;
	for (size_t i = 0; i < a->nunrec; i++) {
		struct dstore_record *r = a->unrec[i];
		int rc = recorder_append(a->rec, r);
		if (rc == DSTORE_OK) {
			show_local(a, r, VIEW_DEC_RECORDED);
			forward(a, r);
			free(r);
		} else {
			a->unrec[keep++] = r;
		}
	}
	a->nunrec = keep;
	if (!keep) {
		a->persist_err[0] = '\0';
		app_set_msg(a, false, "Decision log writable again: kept decisions recorded");
	}
	a->unrec_retry_ms = a->now_ms + APP_RECORD_RETRY_MS;
	a->dirty = true;
}

void decide_housekeep(struct app *a)
{
	retry_unrecorded(a);
	if (!a->rec || !a->fc || a->fs.state != FEED_LIVE || a->fs.stale ||
	    a->now_ms - a->forward_ms < APP_FORWARD_RETRY_MS)
		return;
	a->forward_ms = a->now_ms;
	struct dstore_record *list = NULL;
	size_t n = 0;
	if (recorder_unforwarded(a->rec, 32, &list, &n) != DSTORE_OK)
		return;
	for (size_t i = 0; i < n; i++) {
		const struct app_inflight *fl = inflight_find(a, list[i].uuid);
		if (!fl || a->now_ms - fl->sent_ms >= APP_FORWARD_RETRY_MS)
			forward(a, &list[i]);
	}
	free(list);
}

void app_review_load(struct app *a)
{
	free(a->review);
	a->review = NULL;
	a->nreview = 0;
	if (!a->rec)
		return;
	if (recorder_recent(a->rec, a->wall_ms - 3600 * 1000, a->review_filter, 500,
	    &a->review, &a->nreview) != DSTORE_OK) {
		a->review = NULL;
		a->nreview = 0;
	}
	if (a->review_sel >= (long)a->nreview)
		a->review_sel = a->nreview ? (long)a->nreview - 1 : 0;
}

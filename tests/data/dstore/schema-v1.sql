-- A decision log at schema version 1, as written by the first release of
-- the store (three chained records). Used by the migration tests.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE decisions ( seq INTEGER PRIMARY KEY, type INTEGER NOT NULL, uuid TEXT NOT NULL UNIQUE, time_ms INTEGER NOT NULL, supervisor TEXT NOT NULL, display_name TEXT NOT NULL, host TEXT NOT NULL, call_id TEXT NOT NULL, agent TEXT NOT NULL, queue TEXT NOT NULL, sug_id TEXT, sug_rule TEXT, sug_kind TEXT, sug_severity INTEGER, sug_raised_ms INTEGER, sug_reasons TEXT, decision TEXT, severity INTEGER NOT NULL, until_ms INTEGER NOT NULL, tag TEXT NOT NULL, reason_code TEXT NOT NULL, free_text TEXT NOT NULL, signals TEXT NOT NULL, policy_version TEXT NOT NULL, lexicon_version TEXT NOT NULL, origin TEXT NOT NULL, prev_hash BLOB NOT NULL, hash BLOB NOT NULL);
INSERT INTO decisions VALUES(1,0,'3ba0b3f2-8d30-4202-9f72-11ec5e6942f6',1700000000000,'root','Lead 0','vm','call-0','agent-0','support','s0','sentiment_drop','assist',1,1699999999500,'["repetition 0.30 \"I already told you\"","escalation ''speak to a manager''"]','acknowledge',0,0,'','false_positive',replace('note 0, with "quotes"\nand a newline','\n',char(10)),'{"frustration":{"components":{"escalation":{"contribution":0.25,"evidence":"speak to a manager","value":1.0},"repetition":{"contribution":0.29999999999999999,"evidence":"I already told you","value":0.59999999999999998}},"value":0.75},"sentiment":{"ewma":-0.25,"latest":-0.5,"mean":-0.125,"slope":-0.01,"trend":[[1000,0.10000000000000001],[2000,-0.20000000000000001],[3000,-0.5]]}}','policy-3','lex-2026.1','',X'0000000000000000000000000000000000000000000000000000000000000000',X'702c9acf8b4d7375a0ddcffb353f61c661e7c947621d216ea54e08c2f5fcc70e');
INSERT INTO decisions VALUES(2,0,'5f38c2cf-ec61-4c85-807e-1db0ae6b8061',1700000001000,'root','Lead 1','vm','call-1','agent-1','billing','s1','frustration_high','escalate',2,1700000000499,'["repetition 0.30 \"I already told you\"","escalation ''speak to a manager''"]','accept',0,0,'','coaching',replace('note 1, with "quotes"\nand a newline','\n',char(10)),'{"frustration":{"components":{"escalation":{"contribution":0.25,"evidence":"speak to a manager","value":1.0},"repetition":{"contribution":0.29999999999999999,"evidence":"I already told you","value":0.59999999999999998}},"value":0.75},"sentiment":{"ewma":-0.25,"latest":-0.5,"mean":-0.125,"slope":-0.01,"trend":[[1000,0.10000000000000001],[2000,-0.20000000000000001],[3000,-0.5]]}}','policy-3','lex-2026.1','',X'702c9acf8b4d7375a0ddcffb353f61c661e7c947621d216ea54e08c2f5fcc70e',X'581cf1d4d155fbd0f31816a19a132634b7951295d30dbf24db8d1006869238db');
INSERT INTO decisions VALUES(3,0,'c8c4c218-889e-4fe0-bdc9-5e694f4fa9d7',1700000002000,'root','Lead 2','vm','call-2','agent-2','support','s2','sentiment_drop','review',3,1700000001498,'["repetition 0.30 \"I already told you\"","escalation ''speak to a manager''"]','dismiss',0,0,'','coaching',replace('note 2, with "quotes"\nand a newline','\n',char(10)),'{"frustration":{"components":{"escalation":{"contribution":0.25,"evidence":"speak to a manager","value":1.0},"repetition":{"contribution":0.29999999999999999,"evidence":"I already told you","value":0.59999999999999998}},"value":0.75},"sentiment":{"ewma":-0.25,"latest":-0.5,"mean":-0.125,"slope":-0.01,"trend":[[1000,0.10000000000000001],[2000,-0.20000000000000001],[3000,-0.5]]}}','policy-3','lex-2026.1','',X'581cf1d4d155fbd0f31816a19a132634b7951295d30dbf24db8d1006869238db',X'0e44f226513f33e5766ba4aa25c9962204b1c37bc86872eefe56a61e0ab8dc00');
CREATE TABLE pending (seq INTEGER PRIMARY KEY);
INSERT INTO pending VALUES(1);
INSERT INTO pending VALUES(2);
INSERT INTO pending VALUES(3);
CREATE TABLE forwarded (uuid TEXT PRIMARY KEY, forwarded_ms INTEGER NOT NULL) WITHOUT ROWID;
CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
CREATE INDEX decisions_time ON decisions(time_ms);
CREATE INDEX decisions_supervisor ON decisions(supervisor, time_ms);
CREATE INDEX decisions_call ON decisions(call_id, time_ms);
CREATE INDEX decisions_queue ON decisions(queue, time_ms);
CREATE INDEX decisions_decision ON decisions(decision, time_ms);
CREATE INDEX decisions_kind ON decisions(sug_kind, time_ms);
CREATE INDEX decisions_reason ON decisions(reason_code, time_ms);
COMMIT;
PRAGMA user_version=1;

//! The partitioned layout: the same columns, in a table partitioned by UTC day of expiry, so
//! that purging a day's expired sessions drops a partition instead of deleting row by row.
//!
//! PostgreSQL cannot keep a unique index on `id` across partitions (a unique index must
//! contain the partition key), so the writes that may insert — a save and a create — are SQL
//! functions that take a transaction-scoped advisory lock on the id before they update or
//! insert: still one statement, one round trip. Every other statement is the plain layout's;
//! a lookup by id probes each partition's `id` index (a few dozen small index probes, see
//! `docs/scaling.md` for what that costs).
//!
//! Partitions cover the day of `now` to 31 days later, plus a default partition
//! for expiries beyond them. The purge (one function call) first tends the partitions: drops
//! those whose whole day ended more than a minute (the expiry mark's slack) ago — every row in
//! them has expired — creates the missing ones ahead, moving in rows that waited in the
//! default partition, then deletes the remaining expired rows row by row, up to its limit.
//! Only one purge tends partitions at a time, and it gives up (until the next purge) rather
//! than wait more than 100 ms for the locks dropping or attaching a partition needs.

/// `(version, description, SQL)`, applied in order. Versions differ from the plain layout's,
/// so that migrating one layout's database as the other fails instead of mixing them.
pub(super) const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1001,
        "sessions as rows, partitioned by day of expiry",
        r#"CREATE TABLE user_sessions (
        id BYTEA NOT NULL CHECK (octet_length(id) = 32),
        user_id TEXT COLLATE "C",
        ip TEXT COLLATE "C",
        user_agent TEXT,
        client_hints TEXT,
        data BYTEA NOT NULL,
        created_at TIMESTAMPTZ NOT NULL,
        last_activity TIMESTAMPTZ NOT NULL,
        expires_at TIMESTAMPTZ NOT NULL,
        authenticated_at TIMESTAMPTZ,
        expiry_mark TIMESTAMPTZ NOT NULL
    ) PARTITION BY RANGE (expiry_mark);
    CREATE INDEX user_sessions_id ON user_sessions (id);
    CREATE INDEX user_sessions_user ON user_sessions (user_id, last_activity);
    CREATE INDEX user_sessions_expiry_mark ON user_sessions (expiry_mark);
    CREATE INDEX user_sessions_activity ON user_sessions (last_activity, id);
    CREATE INDEX user_sessions_ip ON user_sessions (ip);
    CREATE TABLE user_sessions_later PARTITION OF user_sessions DEFAULT WITH (fillfactor = 85);

    CREATE FUNCTION user_sessions_lock(p_id BYTEA) RETURNS VOID LANGUAGE sql AS
    $$ SELECT pg_advisory_xact_lock(('x' || encode(substring(p_id FROM 1 FOR 8), 'hex'))::bit(64)::bigint) $$;

    CREATE FUNCTION user_sessions_save(p_id BYTEA, p_user_id TEXT, p_ip TEXT, p_user_agent TEXT,
        p_client_hints TEXT, p_data BYTEA, p_created_at TIMESTAMPTZ, p_last_activity TIMESTAMPTZ,
        p_expires_at TIMESTAMPTZ, p_authenticated_at TIMESTAMPTZ) RETURNS VOID
    LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM user_sessions_lock(p_id);
        UPDATE user_sessions SET user_id = p_user_id, ip = p_ip, user_agent = p_user_agent,
            client_hints = p_client_hints, data = p_data, created_at = p_created_at,
            last_activity = p_last_activity, expires_at = p_expires_at,
            authenticated_at = p_authenticated_at, expiry_mark = p_expires_at
        WHERE id = p_id;
        IF NOT FOUND THEN
            INSERT INTO user_sessions (id, user_id, ip, user_agent, client_hints, data,
                created_at, last_activity, expires_at, authenticated_at, expiry_mark)
            VALUES (p_id, p_user_id, p_ip, p_user_agent, p_client_hints, p_data, p_created_at,
                p_last_activity, p_expires_at, p_authenticated_at, p_expires_at);
        END IF;
    END $$;

    CREATE FUNCTION user_sessions_create(p_id BYTEA, p_user_id TEXT, p_ip TEXT,
        p_user_agent TEXT, p_client_hints TEXT, p_data BYTEA, p_created_at TIMESTAMPTZ,
        p_last_activity TIMESTAMPTZ, p_expires_at TIMESTAMPTZ, p_authenticated_at TIMESTAMPTZ,
        p_now TIMESTAMPTZ) RETURNS BOOLEAN
    LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM user_sessions_lock(p_id);
        DELETE FROM user_sessions WHERE id = p_id AND expires_at <= p_now;
        IF EXISTS (SELECT 1 FROM user_sessions WHERE id = p_id) THEN
            RETURN FALSE;
        END IF;
        INSERT INTO user_sessions (id, user_id, ip, user_agent, client_hints, data, created_at,
            last_activity, expires_at, authenticated_at, expiry_mark)
        VALUES (p_id, p_user_id, p_ip, p_user_agent, p_client_hints, p_data, p_created_at,
            p_last_activity, p_expires_at, p_authenticated_at, p_expires_at);
        RETURN TRUE;
    END $$;

    CREATE FUNCTION user_sessions_partitions(p_now TIMESTAMPTZ, p_days_ahead INT DEFAULT 31)
    RETURNS BIGINT LANGUAGE plpgsql AS $$
    DECLARE
        first_day DATE := (p_now AT TIME ZONE 'UTC')::date;
        day DATE;
        lower_bound TIMESTAMPTZ;
        upper_bound TIMESTAMPTZ;
        name TEXT;
        part RECORD;
        dropped BIGINT := 0;
        n BIGINT;
    BEGIN
        -- One upkeep of this table at a time; another purge busy with it skips it.
        IF NOT pg_try_advisory_xact_lock(1970496882,
                ('user_sessions'::regclass::oid::bigint % 2147483647)::int) THEN
            RETURN 0;
        END IF;
        FOR part IN
            SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'user_sessions'::regclass
              AND c.relname ~ '^user_sessions_p[0-9]{8}$'
        LOOP
            day := to_date(substring(part.relname FROM 16), 'YYYYMMDD');
            IF (day + 1)::timestamp AT TIME ZONE 'UTC' + INTERVAL '1 minute' <= p_now THEN
                BEGIN
                    SET LOCAL lock_timeout = '100ms';
                    EXECUTE format('SELECT count(*) FROM %I', part.relname) INTO n;
                    EXECUTE format('DROP TABLE %I', part.relname);
                    dropped := dropped + n;
                EXCEPTION WHEN lock_not_available THEN
                    RAISE NOTICE 'partition % is busy; dropping it later', part.relname;
                END;
            END IF;
        END LOOP;
        FOR i IN 0..p_days_ahead LOOP
            day := first_day + i;
            name := 'user_sessions_p' || to_char(day, 'YYYYMMDD');
            lower_bound := day::timestamp AT TIME ZONE 'UTC';
            upper_bound := (day + 1)::timestamp AT TIME ZONE 'UTC';
            IF to_regclass(name) IS NULL THEN
                BEGIN
                    SET LOCAL lock_timeout = '100ms';
                    EXECUTE format('CREATE TABLE %I (LIKE user_sessions INCLUDING DEFAULTS '
                        'INCLUDING CONSTRAINTS) WITH (fillfactor = 85)', name);
                    EXECUTE format('WITH moved AS (DELETE FROM user_sessions_later '
                        'WHERE expiry_mark >= %L AND expiry_mark < %L RETURNING *) '
                        'INSERT INTO %I SELECT * FROM moved', lower_bound, upper_bound, name);
                    EXECUTE format('ALTER TABLE user_sessions ATTACH PARTITION %I '
                        'FOR VALUES FROM (%L) TO (%L)', name, lower_bound, upper_bound);
                EXCEPTION WHEN lock_not_available THEN
                    RAISE NOTICE 'sessions table busy; creating partition % later', name;
                END;
            END IF;
        END LOOP;
        RETURN dropped;
    END $$;

    CREATE FUNCTION user_sessions_purge(p_now TIMESTAMPTZ, p_limit BIGINT) RETURNS BIGINT
    LANGUAGE plpgsql AS $$
    DECLARE
        dropped BIGINT;
        deleted BIGINT;
    BEGIN
        dropped := user_sessions_partitions(p_now);
        SET LOCAL lock_timeout = 0;
        DELETE FROM user_sessions WHERE expiry_mark <= p_now AND expires_at <= p_now
            AND (tableoid, ctid) IN (SELECT tableoid, ctid FROM user_sessions
                WHERE expiry_mark <= p_now AND expires_at <= p_now LIMIT p_limit);
        GET DIAGNOSTICS deleted = ROW_COUNT;
        RETURN dropped + deleted;
    END $$;

    SELECT user_sessions_partitions(now());"#,
    ),
    (
        1002,
        super::schema::DEVICE_HISTORY_DESCRIPTION,
        super::schema::DEVICE_HISTORY,
    ),
];

/// Binds the [`WRITE_COLUMNS`](crate::sql::WRITE_COLUMNS): inserts, or replaces every column of
/// the session with that id.
pub(super) const SAVE: &str = "SELECT user_sessions_save($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";

/// Binds the [`WRITE_COLUMNS`](crate::sql::WRITE_COLUMNS) then `now`; returns whether the
/// session was written (no live session had the id).
pub(super) const CREATE: &str =
    "SELECT user_sessions_create($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";

/// Binds `now`; tends the partitions (creates the coming days', drops the days that have
/// passed) and returns how many sessions went with them.
pub(super) const PURGE_PARTITIONS: &str = "SELECT user_sessions_partitions($1)";

/// Binds `now`, `limit`; deletes up to `limit` expired sessions row by row (the current day's)
/// and returns their `id`, `user_id`. Rows are named by `(tableoid, ctid)`, not by id: one
/// probe each, not one per partition.
pub(super) const PURGE_EXPIRED: &str = "DELETE FROM user_sessions \
    WHERE expiry_mark <= $1 AND expires_at <= $1 AND (tableoid, ctid) IN \
    (SELECT tableoid, ctid FROM user_sessions WHERE expiry_mark <= $1 AND expires_at <= $1 LIMIT $2) \
    RETURNING id, user_id";

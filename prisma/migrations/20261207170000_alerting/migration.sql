-- Alerting (issue 16): each SLO's state as its last evaluation left it, alert events, notification channels and
-- routes, silences, and the notification outbox with its delivery log.

CREATE TABLE "slo_states" (
    "slo_id" UUID NOT NULL,
    "as_of" TIMESTAMPTZ(3) NOT NULL,
    "status" JSONB NOT NULL,
    "data_state" TEXT NOT NULL,
    "budget_remaining" DOUBLE PRECISION,
    "firing" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "slo_states_pkey" PRIMARY KEY ("slo_id")
);
ALTER TABLE "slo_states" ADD CONSTRAINT "slo_states_slo_id_fkey" FOREIGN KEY ("slo_id") REFERENCES "slos"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "alert_events" (
    "id" UUID NOT NULL,
    "slo_id" UUID NOT NULL,
    "service_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "alert_key" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "pending_since" TIMESTAMPTZ(3),
    "started_at" TIMESTAMPTZ(3),
    "ended_at" TIMESTAMPTZ(3),
    "last_firing_at" TIMESTAMPTZ(3),
    "peak_burn_rate" DOUBLE PRECISION,
    "budget_at_start" DOUBLE PRECISION,
    "budget_at_end" DOUBLE PRECISION,
    "budget_spent" DOUBLE PRECISION,
    "details" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alert_events_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "alert_events_slo_id_created_at_idx" ON "alert_events"("slo_id", "created_at");
CREATE INDEX "alert_events_service_id_created_at_idx" ON "alert_events"("service_id", "created_at");
CREATE INDEX "alert_events_state_idx" ON "alert_events"("state");
-- The newest event per SLO and alert is the one a transition continues: at most one is not resolved for good.
CREATE UNIQUE INDEX "alert_events_open_key" ON "alert_events"("slo_id", "alert_key") WHERE "state" <> 'resolved';
ALTER TABLE "alert_events" ADD CONSTRAINT "alert_events_slo_id_fkey" FOREIGN KEY ("slo_id") REFERENCES "slos"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "notification_channels" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "config" JSONB NOT NULL DEFAULT '{}',
    "secret" TEXT,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "notification_channels_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "notification_channels_slug_key" ON "notification_channels"("slug");

CREATE TABLE "notification_routes" (
    "id" UUID NOT NULL,
    "team" TEXT NOT NULL,
    "channel_id" UUID NOT NULL,
    "services" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "severities" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "kinds" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "labels" JSONB NOT NULL DEFAULT '{}',
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "notification_routes_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "notification_routes_team_idx" ON "notification_routes"("team");
ALTER TABLE "notification_routes" ADD CONSTRAINT "notification_routes_channel_id_fkey" FOREIGN KEY ("channel_id") REFERENCES "notification_channels"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "silences" (
    "id" UUID NOT NULL,
    "scope" TEXT NOT NULL,
    "team" TEXT NOT NULL,
    "service_id" UUID,
    "slo_id" UUID,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "reason" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "silences_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "silences_ends_at_idx" ON "silences"("ends_at");

CREATE TABLE "notifications" (
    "id" UUID NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "alert_event_id" UUID,
    "channel_id" UUID NOT NULL,
    "action" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claimed_by" TEXT,
    "claimed_until" TIMESTAMPTZ(3),
    "delivered_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notifications_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "notifications_idempotency_key_key" ON "notifications"("idempotency_key");
CREATE INDEX "notifications_status_next_attempt_at_idx" ON "notifications"("status", "next_attempt_at");
CREATE INDEX "notifications_channel_id_created_at_idx" ON "notifications"("channel_id", "created_at");
CREATE INDEX "notifications_alert_event_id_idx" ON "notifications"("alert_event_id");
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_alert_event_id_fkey" FOREIGN KEY ("alert_event_id") REFERENCES "alert_events"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_channel_id_fkey" FOREIGN KEY ("channel_id") REFERENCES "notification_channels"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "notification_attempts" (
    "id" UUID NOT NULL,
    "notification_id" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ok" BOOLEAN NOT NULL,
    "status_code" INTEGER,
    "response" TEXT NOT NULL DEFAULT '',
    "ms" INTEGER NOT NULL,

    CONSTRAINT "notification_attempts_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "notification_attempts_notification_id_at_idx" ON "notification_attempts"("notification_id", "at");
ALTER TABLE "notification_attempts" ADD CONSTRAINT "notification_attempts_notification_id_fkey" FOREIGN KEY ("notification_id") REFERENCES "notifications"("id") ON DELETE CASCADE ON UPDATE CASCADE;

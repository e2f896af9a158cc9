-- Each service's overview figures as the evaluator's last state step left them (issue 16, the overview at 10,000
-- SLOs): read by the overview and GET /api/v1/services instead of every SLO's status. `inputs` fingerprints the
-- definitions they were computed from (the service, its SLOs, the gate policies); a reader whose definitions differ
-- computes that service from its SLOs' states instead.
CREATE TABLE "service_states" (
    "service_id" UUID NOT NULL,
    "inputs" TEXT NOT NULL,
    "summary" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "service_states_pkey" PRIMARY KEY ("service_id")
);
ALTER TABLE "service_states" ADD CONSTRAINT "service_states_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE CASCADE ON UPDATE CASCADE;

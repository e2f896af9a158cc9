-- Users an admin adds for single sign-on: the first sign-in with their verified email becomes their account.
ALTER TABLE "users" ADD COLUMN "sso_invite" BOOLEAN NOT NULL DEFAULT false;

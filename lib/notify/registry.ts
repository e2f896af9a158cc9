import type { ChannelKind } from '../schemas/index';
import { alertmanagerAdapter } from './alertmanager/alertmanager';
import { emailAdapter } from './email/email';
import { pagerDutyAdapter } from './pagerduty/pagerduty';
import { slackAdapter } from './slack/slack';
import type { ChannelAdapter } from './types';
import { webhookAdapter } from './webhook/webhook';

/** Each channel kind's adapter (lib/notify/<kind>/): a kind without one does not compile. */
export const adapters: { [K in ChannelKind]: ChannelAdapter<K> } = {
  alertmanager: alertmanagerAdapter,
  pagerduty: pagerDutyAdapter,
  slack: slackAdapter,
  webhook: webhookAdapter,
  email: emailAdapter,
};

import { z } from 'zod';
import { outboundPolicyFromEnv, outboundUrlProblem } from '../../sources/http/outbound';
import { fieldError, postJson, refused } from '../deliver';
import { actionTag, messageFigures } from '../figures';
import { truncate } from '../text';
import type { AlertMessage, ChannelAdapter } from '../types';

const PlainText = (max: number) => z.strictObject({ type: z.literal('plain_text'), text: z.string().min(1).max(max), emoji: z.boolean().optional() });
const Mrkdwn = (max: number) => z.strictObject({ type: z.literal('mrkdwn'), text: z.string().min(1).max(max), verbatim: z.boolean().optional() });

/** The Block Kit blocks a message uses, with Slack's documented limits (header 150, section text 3000, ≤10 fields of 2000). */
const SlackBlock = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('header'), text: PlainText(150) }),
  z.strictObject({ type: z.literal('section'), text: Mrkdwn(3000).optional(), fields: z.array(Mrkdwn(2000)).min(1).max(10).optional() }),
  z.strictObject({ type: z.literal('context'), elements: z.array(Mrkdwn(2000)).min(1).max(10) }),
  z.strictObject({ type: z.literal('divider') }),
]);

/** An incoming webhook's body: `text` is the notification's fallback when there are blocks; at most 50 blocks. */
export const SlackMessage = z.strictObject({ text: z.string().min(1).max(40_000), blocks: z.array(SlackBlock).min(1).max(50) });
export type SlackMessage = z.infer<typeof SlackMessage>;

/** Slack reads &, < and > as markup (`<!channel>` notifies everyone, `<url|text>` links): user text gets them as entities. */
export function escapeSlack(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** A mrkdwn link; a URL's "|" would end the target early, so it is percent-encoded. */
function slackLink(url: string, label: string): string {
  return `<${escapeSlack(url).replaceAll('|', '%7C')}|${escapeSlack(label)}>`;
}

export function slackMessage(message: AlertMessage): SlackMessage {
  const tag = actionTag(message);
  const title = `${tag} ${message.service.slug}/${message.slo.slug}`;
  const headline = `${tag} ${escapeSlack(message.summary)}`;
  const links = [slackLink(message.links.slo, 'SLO in Umpire')];
  if (message.links.runbook) links.push(slackLink(message.links.runbook, 'Runbook'));
  if (message.links.dashboard) links.push(slackLink(message.links.dashboard, 'Dashboard'));
  return {
    text: truncate(headline, 3000),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: truncate(title, 150) } },
      { type: 'section', text: { type: 'mrkdwn', text: truncate(`*${escapeSlack(message.summary)}*\n${escapeSlack(message.description)}`, 3000) } },
      {
        type: 'section',
        fields: messageFigures(message)
          .slice(0, 10)
          .map((f) => ({ type: 'mrkdwn' as const, text: truncate(`*${f.label}*\n${escapeSlack(f.value)}`, 2000) })),
      },
      { type: 'section', text: { type: 'mrkdwn', text: links.join('  •  ') } },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: truncate(
              `${escapeSlack(message.service.name)} · ${escapeSlack(message.slo.name)} · team ${escapeSlack(message.service.team)} · as of ${message.figures.asOf}`,
              2000,
            ),
          },
        ],
      },
    ],
  };
}

/** Why a channel secret is not a usable incoming-webhook URL, or null. Any http(s) URL passes the guard's checks (a proxy, a test receiver). */
export function slackWebhookProblem(secret: string | null): string | null {
  if (!secret) return 'is required: the incoming webhook URL (https://hooks.slack.com/services/…)';
  const problem = outboundUrlProblem(secret, outboundPolicyFromEnv());
  return problem ? `must be the incoming webhook URL: ${problem}` : null;
}

export const slackAdapter: ChannelAdapter<'slack'> = {
  kind: 'slack',
  validate(_config, secret) {
    return fieldError('secret', slackWebhookProblem(secret));
  },
  async send(message, channel, deps) {
    if (!channel.secret) return refused('no webhook URL: set the channel secret to the incoming webhook URL');
    let path: string | null = null;
    try {
      path = new URL(channel.secret).pathname;
    } catch {
      return refused('the channel secret is not a URL: set it to the incoming webhook URL');
    }
    // The URL is the credential: it (and its path, the token part) never appears in the logged response.
    return postJson(deps, channel.secret, JSON.stringify(slackMessage(message)), { secrets: [channel.secret, path.length > 1 ? path : null] });
  },
};

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { readYamlDocuments } from '../openslo/parse';
import { backstageServices, isBackstageDocument, ownerName } from './index';

type Files = Record<string, string>;

function importFiles(files: Files) {
  const read = readYamlDocuments(Object.entries(files).map(([name, text]) => ({ name, text })));
  expect(read.errors).toEqual([]);
  return backstageServices(read.documents);
}

const importText = (text: string) => importFiles({ 'catalog-info.yaml': text });

function servicesOf(text: string) {
  const result = importText(text);
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.value.services.map((service) => service.input);
}

function errorsOf(files: Files | string): string[] {
  const result = typeof files === 'string' ? importText(files) : importFiles(files);
  return result.ok ? [] : result.errors;
}

/** A valid Component with `edit` applied to its text. */
function component(edit: (text: string) => string = (t) => t): string {
  return edit(`apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: checkout
  annotations: {}
  tags: []
  links: []
spec:
  type: service
  lifecycle: production
  owner: group:default/payments
`);
}

test('the fixture catalog maps to exactly one service and says why the rest was skipped', () => {
  const text = readFileSync(join(__dirname, 'fixtures', 'catalog-info.yaml'), 'utf8');
  const result = importText(text);
  expect(result).toEqual({
    ok: true,
    value: {
      services: [
        {
          at: { file: 'catalog-info.yaml', index: 3 },
          input: {
            slug: 'checkout',
            name: 'Checkout API',
            ownerTeam: 'payments',
            tier: 1,
            description: 'Takes the money for every order.',
            links: {
              dashboard: 'https://grafana.acme.example/d/checkout',
              runbook: 'https://wiki.acme.example/runbooks/checkout',
              onCall: 'https://acme.pagerduty.com/service-directory/PX1234',
              repository: 'https://github.com/acme/checkout/tree/main/',
            },
          },
        },
      ],
      skipped: [
        'catalog-info.yaml#1 System payments: only Component entities become services',
        'catalog-info.yaml#2 Group payments: only Component entities become services',
        'catalog-info.yaml#4 API checkout-api: only Component entities become services',
        'catalog-info.yaml#5 Component checkout-client: spec.type library is not a running service',
      ],
    },
  });
});

test('a minimal Component takes the defaults: its name, tier 2, no description, no links', () => {
  expect(servicesOf(component())).toEqual([{ slug: 'checkout', name: 'checkout', ownerTeam: 'payments', tier: 2, description: '', links: {} }]);
});

test('isBackstageDocument tells Backstage entities from other YAML', () => {
  expect(isBackstageDocument({ apiVersion: 'backstage.io/v1alpha1', kind: 'Component' })).toBe(true);
  expect(isBackstageDocument({ apiVersion: 'backstage.io/v2' })).toBe(true);
  expect(isBackstageDocument({ apiVersion: 'openslo/v1' })).toBe(false);
  expect(isBackstageDocument({ apiVersion: 1 })).toBe(false);
  expect(isBackstageDocument(['backstage.io/v1alpha1'])).toBe(false);
  expect(isBackstageDocument(null)).toBe(false);
});

describe('the owner is the name of the entity ref', () => {
  test.each([
    ['group:default/payments', 'payments'],
    ['group:payments', 'payments'],
    ['payments', 'payments'],
    ['default/payments', 'payments'],
    ['user:default/jane.doe', 'jane.doe'],
    ['Group:Payments-Team', 'Payments-Team'],
  ])('%s -> %s', (ref, want) => {
    expect(ownerName(ref)).toBe(want);
    expect(servicesOf(component((t) => t.replace('owner: group:default/payments', `owner: ${ref}`)))[0]!.ownerTeam).toBe(want);
  });
});

describe('the tier: annotation, then a tag, then the lifecycle', () => {
  const withTier = (annotations: string, tags: string, lifecycle: string) =>
    servicesOf(
      component((t) =>
        t.replace('annotations: {}', `annotations: ${annotations}`).replace('tags: []', `tags: ${tags}`).replace('lifecycle: production', lifecycle),
      ),
    )[0]!.tier;

  test.each<[string, string, string, string, number]>([
    ['the annotation wins over a tag and the lifecycle', '{ umpire.dev/tier: "1" }', '[tier-3]', 'lifecycle: experimental', 1],
    ['a tag tier-N wins over the lifecycle', '{}', '[java, tier-1]', 'lifecycle: experimental', 1],
    ['a tag tierN too', '{}', '[tier3]', 'lifecycle: production', 3],
    ['production is tier 2: the lifecycle is not criticality', '{}', '[]', 'lifecycle: production', 2],
    ['experimental is tier 3', '{}', '[]', 'lifecycle: experimental', 3],
    ['deprecated is tier 3', '{}', '[]', 'lifecycle: deprecated', 3],
    ['another lifecycle is tier 2', '{}', '[]', 'lifecycle: staging', 2],
    ['no lifecycle is tier 2', '{}', '[]', '', 2],
  ])('%s', (_, annotations, tags, lifecycle, want) => expect(withTier(annotations, tags, lifecycle)).toBe(want));
});

describe('links fill Umpire slots by type, then title or icon', () => {
  const linksOf = (links: string, annotations = '{}') =>
    servicesOf(component((t) => t.replace('links: []', `links: ${links}`).replace('annotations: {}', `annotations: ${annotations}`)))[0]!.links;

  test.each<[string, string, Record<string, string>]>([
    ['type runbook', '[{ url: "https://r.example", type: runbook }]', { runbook: 'https://r.example' }],
    ['title Playbook', '[{ url: "https://r.example", title: Incident Playbook }]', { runbook: 'https://r.example' }],
    ['icon dashboard', '[{ url: "https://d.example", icon: dashboard }]', { dashboard: 'https://d.example' }],
    ['title Grafana', '[{ url: "https://d.example", title: Grafana }]', { dashboard: 'https://d.example' }],
    ['title Metrics', '[{ url: "https://d.example", title: METRICS }]', { dashboard: 'https://d.example' }],
    ['type repo', '[{ url: "https://g.example", type: repo }]', { repository: 'https://g.example' }],
    ['title Repository', '[{ url: "https://g.example", title: Repository }]', { repository: 'https://g.example' }],
    ['title Source code', '[{ url: "https://g.example", title: Source code }]', { repository: 'https://g.example' }],
    ['icon github', '[{ url: "https://g.example", icon: github }]', { repository: 'https://g.example' }],
    ['title GitLab', '[{ url: "https://g.example", title: GitLab project }]', { repository: 'https://g.example' }],
    ['title On-call', '[{ url: "https://o.example", title: On-call schedule }]', { onCall: 'https://o.example' }],
    ['type oncall', '[{ url: "https://o.example", type: oncall }]', { onCall: 'https://o.example' }],
    ['title PagerDuty', '[{ url: "https://o.example", title: PagerDuty }]', { onCall: 'https://o.example' }],
    ['icon opsgenie', '[{ url: "https://o.example", icon: opsgenie }]', { onCall: 'https://o.example' }],
    ['the type wins over the title', '[{ url: "https://o.example", type: pagerduty, title: Runbook }]', { onCall: 'https://o.example' }],
    ['a type naming no slot falls back to the title', '[{ url: "https://r.example", type: docs, title: Runbook }]', { runbook: 'https://r.example' }],
    [
      'the first link of a slot wins',
      '[{ url: "https://a.example", title: Runbook }, { url: "https://b.example", title: Runbook }]',
      { runbook: 'https://a.example' },
    ],
    ['a link naming no slot is left out', '[{ url: "https://docs.example", title: Docs, icon: docs }]', {}],
  ])('%s', (_, links, want) => expect(linksOf(links)).toEqual(want));

  test('backstage.io/source-location gives the repository when no link does, minus url:', () => {
    const annotation = '{ backstage.io/source-location: "url:https://github.com/acme/checkout/tree/main/" }';
    expect(linksOf('[]', annotation)).toEqual({ repository: 'https://github.com/acme/checkout/tree/main/' });
    expect(linksOf('[{ url: "https://g.example", title: Repo }]', annotation)).toEqual({ repository: 'https://g.example' });
    expect(linksOf('[]', '{ backstage.io/source-location: "file:./" }')).toEqual({});
  });

  test('a valid umpire.dev/slug annotation names the service', () => {
    const services = servicesOf(
      component((t) => t.replace('name: checkout', 'name: Checkout_API').replace('annotations: {}', 'annotations: { umpire.dev/slug: checkout-api }')),
    );
    expect(services[0]).toMatchObject({ slug: 'checkout-api', name: 'Checkout_API' });
  });
});

describe('what Umpire cannot take as given is refused, naming the document and the field', () => {
  test.each<[string, string, string[]]>([
    [
      'a name that is not an Umpire slug',
      component((t) => t.replace('name: checkout', 'name: Checkout_API')),
      [
        'catalog-info.yaml#1 Component Checkout_API: metadata.name: Checkout_API is not an Umpire slug (lowercase letters, digits and single hyphens, at most 63 characters); Umpire does not rewrite names: set the annotation umpire.dev/slug to the slug to use',
      ],
    ],
    [
      'an umpire.dev/slug annotation that is not a slug',
      component((t) => t.replace('annotations: {}', 'annotations: { umpire.dev/slug: check.out }')),
      [
        'catalog-info.yaml#1 Component checkout: metadata.annotations.umpire.dev/slug: must be lowercase letters, digits and single hyphens (e.g. checkout-api)',
      ],
    ],
    [
      'a name Backstage itself refuses',
      component((t) => t.replace('name: checkout', 'name: check out')),
      ['catalog-info.yaml#1 Component check out: metadata.name: must be letters and digits separated by single -, _ or . (Backstage entity name)'],
    ],
    [
      'a missing owner',
      component((t) => t.replace('  owner: group:default/payments\n', '')),
      ['catalog-info.yaml#1 Component checkout: spec.owner: is required'],
    ],
    [
      'an owner ref without a name',
      component((t) => t.replace('owner: group:default/payments', 'owner: "group:default/"')),
      ['catalog-info.yaml#1 Component checkout: spec.owner: names no team: group:default/'],
    ],
    [
      'a tier annotation that is not 1, 2 or 3',
      component((t) => t.replace('annotations: {}', 'annotations: { umpire.dev/tier: high }')),
      ['catalog-info.yaml#1 Component checkout: metadata.annotations.umpire.dev/tier: must be 1, 2 or 3, not high'],
    ],
    [
      'tags naming two tiers',
      component((t) => t.replace('tags: []', 'tags: [tier-1, tier-2]')),
      ['catalog-info.yaml#1 Component checkout: metadata.tags: name more than one tier; keep one tier tag or set the annotation umpire.dev/tier'],
    ],
    [
      'a link that is not http(s)',
      component((t) =>
        t.replace(
          'links: []',
          'links: [{ url: "https://docs.example" }, { url: "https://x.example", title: Docs }, { url: "javascript:alert(1)", title: Runbook }]',
        ),
      ),
      ['catalog-info.yaml#1 Component checkout: metadata.links[2].url: must be an http(s) URL'],
    ],
    [
      'a url: source location that is not http(s)',
      component((t) => t.replace('annotations: {}', 'annotations: { backstage.io/source-location: "url:ftp://git.example/checkout" }')),
      ['catalog-info.yaml#1 Component checkout: metadata.annotations.backstage.io/source-location: must be an http(s) URL'],
    ],
    [
      'a title longer than 100 characters',
      component((t) => t.replace('name: checkout', `name: checkout\n  title: ${'x'.repeat(101)}`)),
      ['catalog-info.yaml#1 Component checkout: metadata.title: must be at most 100 characters'],
    ],
    [
      'a description longer than 2000 characters',
      component((t) => t.replace('name: checkout', `name: checkout\n  description: ${'x'.repeat(2001)}`)),
      ['catalog-info.yaml#1 Component checkout: metadata.description: must be at most 2000 characters'],
    ],
    [
      'a spec that is a string',
      'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: { name: checkout }\nspec: a service\n',
      ['catalog-info.yaml#1 Component checkout: spec: must be a map with at least owner'],
    ],
    [
      'links that are not a list',
      component((t) => t.replace('links: []', 'links: https://grafana.example')),
      ['catalog-info.yaml#1 Component checkout: metadata.links: must be a list of links'],
    ],
    [
      'a link without url',
      component((t) => t.replace('links: []', 'links: [{ title: Runbook }]')),
      ['catalog-info.yaml#1 Component checkout: metadata.links[0].url: is required'],
    ],
    [
      'an unknown apiVersion',
      component((t) => t.replace('v1alpha1', 'v2')),
      ['catalog-info.yaml#1 Component checkout: apiVersion: must be backstage.io/v1alpha1 or backstage.io/v1beta1'],
    ],
    ['a document that is not a map', '- a\n- b\n', ['catalog-info.yaml#1: must be a map with apiVersion, kind, metadata and spec']],
    [
      'every problem of a document at once',
      'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: { name: checkout, tags: tier-1 }\nspec: { lifecycle: 3 }\n',
      [
        'catalog-info.yaml#1 Component checkout: metadata.tags: must be a list of strings',
        'catalog-info.yaml#1 Component checkout: spec.lifecycle: must be a string',
        'catalog-info.yaml#1 Component checkout: spec.owner: is required',
      ],
    ],
  ])('%s', (_, text, want) => expect(errorsOf(text)).toEqual(want));

  test('two Components with one slug, in two files, are refused naming both', () => {
    expect(
      errorsOf({
        'a/catalog-info.yaml': component(),
        'b/catalog-info.yaml': `${component((t) => t.replace('name: checkout', 'name: other'))}---\n${component()}`,
      }),
    ).toEqual(['b/catalog-info.yaml#2 Component checkout: metadata.name: the slug checkout is also used by a/catalog-info.yaml#1 Component checkout']);
  });

  test('an umpire.dev/slug annotation clashing with another name is refused on the annotation', () => {
    const other = component((t) => t.replace('name: checkout', 'name: Checkout_V2').replace('annotations: {}', 'annotations: { umpire.dev/slug: checkout }'));
    expect(errorsOf(`${component()}---\n${other}`)).toEqual([
      'catalog-info.yaml#2 Component Checkout_V2: metadata.annotations.umpire.dev/slug: the slug checkout is also used by catalog-info.yaml#1 Component checkout',
    ]);
  });

  test('refusals of every document are collected', () => {
    const bad = component((t) => t.replace('  owner: group:default/payments\n', ''));
    expect(errorsOf(`${bad}---\n${bad.replace('name: checkout', 'name: search')}`)).toEqual([
      'catalog-info.yaml#1 Component checkout: spec.owner: is required',
      'catalog-info.yaml#2 Component search: spec.owner: is required',
    ]);
  });

  test('skipped kinds only need a valid envelope', () => {
    const result = importText('apiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata: { name: orders-db }\nspec: a database\n');
    expect(result).toEqual({ ok: true, value: { services: [], skipped: ['catalog-info.yaml#1 Resource orders-db: only Component entities become services'] } });
  });
});

import { e2eAuth } from './auth';
import { expect, test } from './fixtures';

// The Import page (/import, docs/gitops.md): upload OpenSLO files, preview the plan, apply it; refusals list every
// problem; the catalogue downloads as OpenSLO. Each test imports a service of its own (a unique slug), tracked
// so the fixtures delete it afterwards.

/** An OpenSLO v1 Service owned by `team`. */
function serviceYaml(slug: string, team: string): string {
  return [
    'apiVersion: openslo/v1',
    'kind: Service',
    'metadata:',
    `  name: ${slug}`,
    `  displayName: E2E import ${slug.slice(-8)}`,
    '  labels:',
    '    tier: "2"',
    '  annotations:',
    `    umpire.dev/owner-team: ${team}`,
    'spec:',
    '  description: Imported by an e2e test.',
    '',
  ].join('\n');
}

/** An OpenSLO v1 SLO of `service` measured by the demo source (its whole Umpire SLI in the umpire.dev/sli annotation). */
function sloYaml(service: string, slo: string): string {
  const sli = JSON.stringify({ source: 'demo', profile: 'availability', seed: `${service}-${slo}` });
  return [
    'apiVersion: openslo/v1',
    'kind: SLO',
    'metadata:',
    `  name: ${slo}`,
    '  displayName: Availability',
    'spec:',
    `  service: ${service}`,
    '  indicator:',
    '    metadata:',
    `      name: ${slo}-sli`,
    '      annotations:',
    `        umpire.dev/sli: '${sli}'`,
    '    spec:',
    '      ratioMetric:',
    '        counter: true',
    '        good:',
    '          metricSource:',
    '            type: Umpire',
    '            spec:',
    '              source: demo',
    '        total:',
    '          metricSource:',
    '            type: Umpire',
    '            spec:',
    '              source: demo',
    '  timeWindow:',
    '    - duration: 28d',
    '      isRolling: true',
    '  budgetingMethod: Occurrences',
    '  objectives:',
    '    - target: 0.999',
    '',
  ].join('\n');
}

const yamlFile = (name: string, text: string) => ({ name, mimeType: 'application/yaml', buffer: Buffer.from(text, 'utf8') });

test('uploads a service and its SLO, previews, applies, and finds them unchanged the second time', async ({ page, seed, request }) => {
  const slug = seed.slug('e2e-import');
  const team = seed.slug('e2e-team');
  seed.track(slug);
  const files = [yamlFile('service.yaml', serviceYaml(slug, team)), yamlFile('slo.yaml', sloYaml(slug, 'availability'))];

  await page.goto('/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Import' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Import SLOs as code' })).toBeVisible();
  await expect(page.getByText('not marked as managed by git')).toBeVisible();

  const apply = page.getByRole('button', { name: 'Apply', exact: true });
  await expect(apply).toBeDisabled();
  await page.getByLabel('YAML files').setInputFiles(files);
  const chosen = page.getByRole('list', { name: 'Chosen files' });
  await expect(chosen.getByRole('listitem')).toHaveCount(2);
  await expect(chosen).toContainText('service.yaml');
  await expect(chosen).toContainText('slo.yaml');
  await expect(chosen).toContainText(/\d+ B/);

  await page.getByRole('button', { name: 'Preview', exact: true }).click();
  const plan = page.getByRole('table', { name: 'What applying would do' });
  await expect(plan).toBeVisible();
  await expect(page.getByText('2 to create', { exact: true })).toBeVisible();
  const serviceRow = plan.getByRole('row').filter({ has: page.getByRole('rowheader', { name: slug, exact: true }) });
  await expect(serviceRow.getByRole('cell')).toHaveText(['Create', 'Service', 'service.yaml', '—']);
  const sloRow = plan.getByRole('row').filter({ has: page.getByRole('rowheader', { name: `${slug}/availability`, exact: true }) });
  await expect(sloRow.getByRole('cell')).toHaveText(['Create', 'SLO', 'slo.yaml', '—']);
  // Nothing was written by the preview.
  expect((await request.get(`/api/v1/services/${slug}`)).status()).toBe(404);

  await expect(apply).toBeEnabled();
  await apply.click();
  const applied = page.getByTestId('catalog-applied');
  await expect(applied).toContainText('Applied: 2 created, 0 changed');
  // The preview is spent once applied.
  await expect(plan).toBeHidden();
  await expect(apply).toBeDisabled();

  const service = (await (await request.get(`/api/v1/services/${slug}`)).json()) as { ownerTeam: string; managedBy: unknown };
  expect(service.ownerTeam).toBe(team);
  // Uploaded by hand: not managed by git.
  expect(service.managedBy).toBeNull();
  expect((await request.get(`/api/v1/services/${slug}/slos/availability`)).status()).toBe(200);

  await applied.getByRole('link', { name: slug }).click();
  await expect(page).toHaveURL(new RegExp(`/services/${slug}$`));
  await expect(page.getByRole('heading', { level: 1, name: /E2E import/ })).toBeVisible();

  // The same files again: every row unchanged, nothing to apply.
  await page.goto('/import');
  await page.getByLabel('YAML files').setInputFiles(files);
  await expect(page.getByRole('list', { name: 'Chosen files' }).getByRole('listitem')).toHaveCount(2);
  await page.getByRole('button', { name: 'Preview', exact: true }).click();
  const again = page.getByRole('table', { name: 'What applying would do' });
  await expect(again.getByRole('row').filter({ hasText: slug })).toHaveCount(2);
  for (const row of await again.getByRole('row').filter({ hasText: slug }).all()) await expect(row).toContainText('Unchanged');
  await expect(page.getByText('2 unchanged', { exact: true })).toBeVisible();
  // Names of what exists link to it.
  await expect(again.getByRole('link', { name: `${slug}/availability` })).toHaveAttribute('href', `/services/${slug}/slos/availability`);
  await expect(page.getByRole('button', { name: 'Apply', exact: true })).toBeDisabled();

  // Changing the text clears the preview, so only what was previewed can be applied.
  await page.getByLabel('Or paste YAML').fill('# nothing');
  await expect(again).toBeHidden();
});

test('a broken file shows every problem by file and document, and nothing is created', async ({ page, seed, request, consoleGuard }) => {
  // The browser logs the refused request (422) as a console error.
  consoleGuard.allow(/status of 422/);
  const slug = seed.slug('e2e-import');
  seed.track(slug);
  // Two documents, each with a spec violation: both are listed, not only the first.
  const broken = [
    serviceYaml(slug, seed.slug('e2e-team')).replace('description: Imported by an e2e test.', 'description: [not, text]'),
    sloYaml(slug, 'availability').replace('target: 0.999', 'target: 1.5'),
  ].join('---\n');

  await page.goto('/import');
  await page.getByLabel('YAML files').setInputFiles([yamlFile('broken.yaml', broken), yamlFile('good.yaml', sloYaml(slug, 'latency'))]);
  await expect(page.getByRole('list', { name: 'Chosen files' }).getByRole('listitem')).toHaveCount(2);
  await page.getByRole('button', { name: 'Preview', exact: true }).click();

  const refusal = page.getByRole('alert').filter({ hasText: /problems? in the files/ });
  await expect(refusal).toBeVisible();
  const problems = refusal.getByRole('list', { name: 'Problems' }).getByRole('listitem');
  // Every problem is listed, each naming its file and document.
  await expect(problems).toHaveCount(2);
  await expect(problems.nth(0)).toHaveText(`broken.yaml#1 Service ${slug}: spec.description: must be a string`);
  await expect(problems.nth(1)).toHaveText('broken.yaml#2 SLO availability: spec.objectives[0].target: must be a number between 0 and 1');
  await expect(page.getByRole('table', { name: 'What applying would do' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Apply', exact: true })).toBeDisabled();
  // The files are kept, to fix and try again.
  await expect(page.getByRole('list', { name: 'Chosen files' }).getByRole('listitem')).toHaveCount(2);

  expect((await request.get(`/api/v1/services/${slug}`)).status()).toBe(404);
});

test('the catalogue downloads as OpenSLO YAML, whole and per team', async ({ page, seed }) => {
  const service = await seed.service();
  await page.goto('/import');
  await expect(page.getByRole('heading', { name: 'Download the catalogue as OpenSLO' })).toBeVisible();

  const all = page.getByRole('link', { name: 'Every service' });
  await expect(all).toHaveAttribute('download', 'umpire-catalogue.yaml');
  const href = await all.getAttribute('href');
  expect(href).toBe('/api/v1/openslo');
  // page.request shares the page's session cookie: the download answers as the signed-in person.
  const response = await page.request.get(href!);
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toMatch(/^application\/yaml/);
  const text = await response.text();
  expect(text).toContain('apiVersion: openslo/v1');
  expect(text).toContain(`name: ${service.slug}`);

  const team = page.getByRole('link', { name: `Team ${service.ownerTeam}`, exact: true });
  await expect(team).toHaveAttribute('download', `umpire-${service.ownerTeam}.yaml`);
  const teamResponse = await page.request.get((await team.getAttribute('href'))!);
  expect(teamResponse.status()).toBe(200);
  expect(await teamResponse.text()).toContain(`name: ${service.slug}`);
});

test.describe('a viewer', () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test('is offered the downloads but no upload, and no Import link', async ({ page }) => {
    const { viewer } = e2eAuth();
    await page.goto('/login');
    await page.getByLabel('Username').fill(viewer.username);
    await page.getByLabel('Password').fill(viewer.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Services' })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Import' })).toHaveCount(0);

    await page.goto('/import');
    await expect(page.getByRole('heading', { level: 1, name: 'Import SLOs as code' })).toBeVisible();
    await expect(page.getByLabel('YAML files')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Apply', exact: true })).toHaveCount(0);
    await expect(page.getByRole('link', { name: 'Every service' })).toHaveAttribute('href', '/api/v1/openslo');
  });
});

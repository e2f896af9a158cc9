import { expect, test } from './fixtures';

// A service and SLO applied from git (docs/gitops.md) are marked on their pages; while hand edits are refused (the
// default, UMPIRE_MANAGED_EDITS=refuse) the pages offer no edit or delete that would fail, and say where to change them.
test('a service applied from git shows where it is managed and offers no hand edit', async ({ page, request, seed }) => {
  // The YAML of a real service, exported and given a new slug: what a repository would hold.
  const original = await seed.service({ name: 'GitOps original' });
  const slo = await seed.slo(original.slug);
  const exported = await (await request.get(`/api/v1/openslo?service=${original.slug}`)).text();
  const slug = seed.slug('e2e-git');
  const source = `github.com/acme/${slug}`;
  const yaml = exported.replaceAll(original.slug, slug).replaceAll('GitOps original', 'GitOps managed');
  const apply = (body: string, query = '') =>
    request.post(`/api/v1/catalog/apply?source=${encodeURIComponent(source)}&file=slos/catalogue.yaml${query}`, {
      headers: { 'content-type': 'application/yaml' },
      data: body,
    });
  const applied = await apply(yaml);
  expect(applied.status(), await applied.text()).toBe(200);
  try {
    await page.goto(`/services/${slug}`);
    const heading = page.getByRole('heading', { level: 1 });
    await expect(heading).toContainText('GitOps managed');
    await expect(heading.getByText('Managed in git')).toBeVisible();
    const notice = page.getByTestId('managed-notice');
    await expect(notice).toContainText(`This service is managed in git: ${source} in slos/catalogue.yaml.`);
    await expect(notice).toContainText('edits and deletion here are refused');
    await expect(page.getByRole('link', { name: 'Edit service' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Delete service' })).toHaveCount(0);
    await expect(page.getByRole('link', { name: 'Download OpenSLO' })).toHaveAttribute('href', `/api/v1/openslo?service=${slug}`);
    // Adding a hand-made SLO is not an edit of the service.
    await expect(page.getByRole('link', { name: 'New SLO' })).toBeVisible();

    await page.goto(`/services/${slug}/edit`);
    await expect(page.getByTestId('managed-notice')).toContainText(source);
    await expect(page.getByRole('button', { name: /Save/ })).toHaveCount(0);
    await expect(page.getByRole('link', { name: 'Back to GitOps managed' })).toBeVisible();

    await page.goto(`/services/${slug}/slos/${slo.slug}`);
    await expect(page.getByRole('heading', { level: 1 }).getByText('Managed in git')).toBeVisible();
    await expect(page.getByTestId('managed-notice')).toContainText('This SLO is managed in git');
    await expect(page.getByRole('link', { name: 'Edit SLO' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Delete SLO' })).toHaveCount(0);

    // The API refuses the hand edit the page does not offer.
    const patched = await request.patch(`/api/v1/services/${slug}`, { data: { tier: 1 } });
    expect(patched.status()).toBe(409);
  } finally {
    // Pruned by the source that manages it: a hand delete would be refused.
    const pruned = await apply('', '&prune=true');
    expect(pruned.status(), await pruned.text()).toBe(200);
  }
});

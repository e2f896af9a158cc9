import { expect, test as setup } from '@playwright/test';
import { ADMIN_STATE, e2eAuth } from './auth';

/** Signs the admin in through the sign-in page once; every test's page starts from this session. */
setup('sign in as the admin', async ({ page }) => {
  const { admin } = e2eAuth();
  await page.goto('/');
  await expect(page).toHaveURL(/\/login$/);
  await page.getByLabel('Username').fill(admin.username);
  await page.getByLabel('Password').fill(admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Services', level: 1 })).toBeVisible();
  await page.context().storageState({ path: ADMIN_STATE });
});

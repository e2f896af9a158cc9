import type { Metadata, Viewport } from 'next';
import Link from 'next/link';
import { UserMenu } from '@/components/auth/user-menu';
import { InlineScript } from '@/components/inline-script';
import { Providers } from '@/components/providers';
import { THEME_SCRIPT } from '@/components/theme';
import { ThemeToggle } from '@/components/theme-toggle';
import { can, principalOf } from '@/lib/auth/permissions';
import { cspNonce, pageActor } from '@/lib/http/page-actor';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Umpire', template: '%s · Umpire' },
  description: 'SLOs and error budgets, measured not felt.',
};

export const viewport: Viewport = {
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#f6f7f9' },
    { media: '(prefers-color-scheme: dark)', color: '#0f1115' },
  ],
};

/**
 * Root layout of the app's chrome. A root layout (html/body) lives here rather than in app/layout.tsx so
 * app/(embed)/ can have its own, without this header or client providers.
 */
export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const [actor, nonce] = await Promise.all([pageActor(), cspNonce()]);
  const admin = can(actor, 'user.read').allowed;
  const writes = principalOf(actor).scopes.has('write');
  const user = actor.kind === 'user' ? { username: actor.username, displayName: actor.displayName, role: actor.role } : null;
  return (
    // The inline script may set data-theme before hydration; that attribute is expected to differ.
    <html lang="en" suppressHydrationWarning>
      <head>
        <InlineScript html={THEME_SCRIPT} nonce={nonce} />
      </head>
      <body>
        <a className="skip-link" href="#main">
          Skip to main content
        </a>
        <header className="app-header">
          <div className="app-header-inner">
            <Link href="/" className="brand" aria-label="Umpire, all services">
              <svg width="22" height="22" viewBox="0 0 24 24" aria-hidden="true">
                <circle cx="12" cy="12" r="10" fill="none" stroke="currentColor" strokeWidth="2.2" />
                <path d="M12 12 L12 4 A8 8 0 0 1 19.4 15 Z" fill="currentColor" />
              </svg>
              <span>Umpire</span>
            </Link>
            {/* Only what this person may use; the pages check again, so a hidden link is a courtesy, not the guard. */}
            <nav aria-label="Main" className="header-nav">
              <Link href="/">Services</Link>
              <Link href="/alerts">Firing now</Link>
              {writes ? <Link href="/services/new">New service</Link> : null}
              {writes ? <Link href="/import">Import</Link> : null}
              <Link href="/datasources">Data sources</Link>
              <Link href="/notifications">Notifications</Link>
              <Link href="/ingest">Ingest</Link>
              <Link href="/policies/default">Default policy</Link>
              {admin ? <Link href="/users">Users</Link> : null}
              {admin ? <Link href="/tokens">Tokens</Link> : null}
              {admin ? <Link href="/audit">Audit</Link> : null}
            </nav>
            <div className="header-end">
              <UserMenu user={user} />
              <ThemeToggle />
            </div>
          </div>
        </header>
        <Providers>
          <main id="main" tabIndex={-1} className="page">
            {children}
          </main>
        </Providers>
        <footer className="app-footer">
          <p>Umpire: SLOs and error budgets, measured not felt.</p>
        </footer>
      </body>
    </html>
  );
}

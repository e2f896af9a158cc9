import type { Metadata, Viewport } from 'next';
import Link from 'next/link';
import { InlineScript } from '@/components/inline-script';
import { Providers } from '@/components/providers';
import { THEME_SCRIPT } from '@/components/theme';
import { ThemeToggle } from '@/components/theme-toggle';
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
export default function AppLayout({ children }: { children: React.ReactNode }) {
  return (
    // The inline script may set data-theme before hydration; that attribute is expected to differ.
    <html lang="en" suppressHydrationWarning>
      <head>
        <InlineScript html={THEME_SCRIPT} />
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
            <nav aria-label="Main" className="header-nav">
              <Link href="/">Services</Link>
              <Link href="/services/new">New service</Link>
              <Link href="/datasources">Data sources</Link>
              <Link href="/ingest">Ingest</Link>
              <Link href="/policies/default">Default policy</Link>
            </nav>
            <div className="header-end">
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

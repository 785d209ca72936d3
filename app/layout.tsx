import type { Metadata, Viewport } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { ConnectionIndicator } from '@/components/ConnectionIndicator';
import { AlertToaster } from '@/components/alerts/AlertToaster';
import { AccountStatus } from '@/components/auth/AccountStatus';
import { NavLinks } from '@/components/NavLinks';
import { SymbolSearch } from '@/components/SymbolSearch';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'MarketDesk', template: '%s · MarketDesk' },
  description: 'Real-time market data for Indian equities and F&O',
  // public/: the SVG for browsers that take it, the ICO (16 and 32 px) for the rest.
  icons: { icon: [{ url: '/favicon.svg', type: 'image/svg+xml' }, { url: '/favicon.ico', sizes: '32x32' }] },
};

export const viewport: Viewport = {
  themeColor: '#07090d',
  colorScheme: 'dark',
};

/**
 * Root layout: dark desk chrome with the nav, symbol search and live-connection indicator. Below
 * `lg` (phones, narrow windows) the nav links and the account corner move behind the menu button;
 * the search box stays in the header.
 */
export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" className="dark">
      <body className="min-h-screen bg-desk-bg font-sans text-sm text-desk-text antialiased">
        <header className="sticky top-0 z-30 border-b border-desk-line bg-desk-panel/95 backdrop-blur">
          <div className="relative mx-auto flex h-12 max-w-[1600px] items-center gap-2 px-3 sm:gap-4 sm:px-4 lg:gap-6">
            <Link href="/" className="flex shrink-0 items-center gap-2 font-semibold tracking-tight text-desk-text" aria-label="MarketDesk home">
              <svg viewBox="0 0 20 20" className="h-5 w-5" aria-hidden="true">
                <rect x="2" y="8" width="3" height="8" rx="0.5" className="fill-down" />
                <rect x="8.5" y="4" width="3" height="10" rx="0.5" className="fill-up" />
                <rect x="15" y="2" width="3" height="9" rx="0.5" className="fill-accent" />
              </svg>
              <span className="hidden sm:inline">
                Market<span className="text-accent">Desk</span>
              </span>
            </Link>
            <NavLinks menuFooter={<AccountStatus />} />
            <div className="ml-auto flex min-w-0 items-center gap-2 sm:gap-4">
              <SymbolSearch />
              <ConnectionIndicator />
              <div className="hidden lg:block">
                <AccountStatus />
              </div>
            </div>
          </div>
        </header>
        <main className="mx-auto max-w-[1600px] px-3 py-4 sm:px-4">{children}</main>
        <AlertToaster />
      </body>
    </html>
  );
}

'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

const LINKS = [
  { href: '/', label: 'Markets' },
  { href: '/watchlists', label: 'Watchlists' },
  { href: '/scanner', label: 'Scanner' },
  { href: '/alerts', label: 'Alerts' },
  { href: '/collectors', label: 'Collectors' },
  { href: '/docs', label: 'API' },
] as const;

/** Header navigation; highlights the current section. */
export function NavLinks() {
  const pathname = usePathname();
  return (
    <nav className="flex items-center gap-1" aria-label="Main">
      {LINKS.map((link) => {
        const active = link.href === '/' ? pathname === '/' : pathname.startsWith(link.href);
        return (
          <Link
            key={link.href}
            href={link.href}
            aria-current={active ? 'page' : undefined}
            className={`rounded px-2.5 py-1 text-[13px] font-medium transition-colors ${
              active ? 'bg-desk-raised text-desk-text' : 'text-desk-muted hover:text-desk-text'
            }`}
          >
            {link.label}
          </Link>
        );
      })}
    </nav>
  );
}

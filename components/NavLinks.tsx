'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useEffect, useState, type ReactNode } from 'react';

const LINKS = [
  { href: '/', label: 'Markets' },
  { href: '/watchlists', label: 'Watchlists' },
  { href: '/scanner', label: 'Scanner' },
  { href: '/options', label: 'Options' },
  { href: '/alerts', label: 'Alerts' },
  { href: '/collectors', label: 'Collectors' },
  { href: '/docs', label: 'API' },
] as const;

/**
 * Header navigation; highlights the current section. Inline from `lg` up; below that a menu
 * button opens the links as a drop-down panel (closed again on navigation), with `menuFooter`
 * (the account corner) under them.
 */
export function NavLinks({ menuFooter }: { menuFooter?: ReactNode }) {
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  useEffect(() => setOpen(false), [pathname]);
  const links = LINKS.map((link) => {
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
  });
  return (
    <>
      <nav className="hidden items-center gap-1 lg:flex" aria-label="Main">
        {links}
      </nav>
      <button
        type="button"
        className="rounded border border-desk-line px-2 py-1 text-desk-muted hover:text-desk-text lg:hidden"
        aria-label="Menu"
        aria-expanded={open}
        aria-controls="main-menu"
        data-testid="nav-toggle"
        onClick={() => setOpen((v) => !v)}
      >
        <svg viewBox="0 0 16 16" className="h-4 w-4 fill-current" aria-hidden="true">
          <rect x="2" y="3" width="12" height="1.5" rx="0.5" />
          <rect x="2" y="7.25" width="12" height="1.5" rx="0.5" />
          <rect x="2" y="11.5" width="12" height="1.5" rx="0.5" />
        </svg>
      </button>
      {open && (
        <nav id="main-menu" aria-label="Main" className="absolute inset-x-0 top-12 z-40 flex flex-col gap-1 border-b border-desk-line bg-desk-panel p-2 shadow-2xl shadow-black/60 lg:hidden">
          {links}
          {menuFooter && <div className="mt-1 flex flex-wrap items-center border-t border-desk-line px-0.5 pt-2">{menuFooter}</div>}
        </nav>
      )}
    </>
  );
}

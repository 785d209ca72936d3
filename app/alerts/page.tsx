/**
 * /alerts: create and manage user alerts, and their firing history.
 */
import type { Metadata } from 'next';
import { AlertsManager } from '@/components/alerts/AlertsManager';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Alerts' };

export default function AlertsPage() {
  return <AlertsManager />;
}

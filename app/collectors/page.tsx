/**
 * /collectors: broker collectors with state, metrics, budget, liveness and start/stop. The
 * client component polls /api/collectors (docs/api.md).
 */
import type { Metadata } from 'next';
import { CollectorsBoard } from '@/components/collectors/CollectorsBoard';

export const metadata: Metadata = { title: 'Collectors' };

export default function CollectorsPage() {
  return <CollectorsBoard />;
}

/** Client-side shape of an alert from /api/alerts (app/api/alerts/route.ts). */
import type { AlertCondition, AlertTarget } from '@/lib/market/alerts';

export interface AlertJson {
  id: number;
  name: string;
  condition: AlertCondition;
  target: AlertTarget;
  repeat: boolean;
  cooldown_sec: number;
  webhook_url: string | null;
  enabled: boolean;
  last_fired_at: string | null;
  created_at: string;
}

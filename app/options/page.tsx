/** /options → the NIFTY chain. */
import { redirect } from 'next/navigation';

export default function OptionsIndex() {
  redirect('/options/NIFTY');
}

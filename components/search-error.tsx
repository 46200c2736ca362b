/** The message a refused `?q=` gets above a list (lib/http/search-param.ts). */
export function SearchError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p role="alert" className="mb-3 text-sm text-red-700 dark:text-red-400">
      {message}
    </p>
  );
}

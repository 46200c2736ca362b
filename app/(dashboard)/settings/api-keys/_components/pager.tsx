import { ChevronLeft, ChevronRight } from "lucide-react";
import { Button } from "@/components/ui/button";

/** Previous / next through a long list, with where you are. */
export function Pager({
  page,
  pages,
  onPrevious,
  onNext,
}: {
  page: number;
  pages: number;
  onPrevious?: () => void;
  onNext?: () => void;
}) {
  return (
    <nav aria-label="Pages" className="flex items-center justify-end gap-2 text-sm text-zinc-600">
      <Button variant="secondary" onClick={onPrevious} disabled={!onPrevious}>
        <ChevronLeft aria-hidden className="h-4 w-4" />
        Previous
      </Button>
      <span aria-current="page">
        Page {page} of {pages}
      </span>
      <Button variant="secondary" onClick={onNext} disabled={!onNext}>
        Next
        <ChevronRight aria-hidden className="h-4 w-4" />
      </Button>
    </nav>
  );
}

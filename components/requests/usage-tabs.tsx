import { TabLinks } from "@/components/shell/tab-links";

/** Usage's two views: the charts and tables, and every request one by one. */
export function UsageTabs() {
  return (
    <TabLinks
      label="Usage sections"
      tabs={[
        { href: "/usage", label: "Overview" },
        { href: "/usage/requests", label: "Requests" },
      ]}
    />
  );
}

# Long Lists are shown a page at a time (issue 7).
list-pages = Pages of the List
list-page-prev = Previous page
list-page-next = Next page
list-page-of = Page { $page } of { $pages }
list-page-showing = Showing entries { $from }–{ $to }
err-search-limit = Enter a whole number from 1 to 500
err-search-offset = Enter a whole number, 0 or more

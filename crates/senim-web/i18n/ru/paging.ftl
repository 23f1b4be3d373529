# Long Lists are shown a page at a time (issue 7).
list-pages = Страницы перечня
list-page-prev = Предыдущая страница
list-page-next = Следующая страница
list-page-of = Страница { $page } из { $pages }
list-page-showing = Показаны записи { $from }–{ $to }

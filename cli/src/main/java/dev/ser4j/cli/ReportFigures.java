package dev.ser4j.cli;

import dev.ser4j.core.Labels;
import dev.ser4j.io.AtomicFiles;
import dev.ser4j.train.CrossValidation;
import dev.ser4j.train.Metrics;
import dev.ser4j.train.Report;
import dev.ser4j.train.Trainer;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * The command line's report figures: {@code confusion.png} (the confusion matrix summed over folds and runs, as row
 * percentages) and, when the runs trained, {@code learning-curves.png} (training loss and dev UA per epoch).
 */
final class ReportFigures implements Report.Figures {
    static final ReportFigures PNG = new ReportFigures();

    private ReportFigures() {}

    @Override
    public void write(Path dir, String method, Report.Summary summary, List<CrossValidation.Run> runs) throws IOException {
        png(dir.resolve("confusion.png"), List.of(confusionChart(summary.pooled(), summary.classes(), method)));
        if (runs.stream().anyMatch(r -> !r.training().history().isEmpty()))
            png(dir.resolve("learning-curves.png"), learningCurves(runs, method));
    }

    static HeatMapChart confusionChart(Metrics m, Labels classes, String title) {
        List<String> names = classes.names();
        HeatMapChart chart = new HeatMapChartBuilder().width(560).height(480).title(title + ": confusion (row %)")
                .xAxisTitle("predicted").yAxisTitle("true").build();
        List<Number[]> cells = new ArrayList<>();
        int k = names.size();
        for (int t = 0; t < k; t++) {
            int support = Arrays.stream(m.confusion()[t]).sum();
            for (int p = 0; p < k; p++)
                cells.add(new Number[]{p, k - 1 - t, support == 0 ? 0 : Math.round(1000.0 * m.confusion()[t][p] / support) / 10.0});
        }
        List<String> rows = new ArrayList<>(names);
        java.util.Collections.reverse(rows);                   // first class on top
        chart.addSeries("row %", names, rows, cells);
        chart.getStyler().setShowValue(true);
        chart.getStyler().setDecimalPattern("0.0");
        chart.getStyler().setMin(0);
        chart.getStyler().setMax(100);
        chart.getStyler().setRangeColors(new Color[]{new Color(0xF7FBFF), new Color(0x6BAED6), new Color(0x08306B)});
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        return chart;
    }

    static List<XYChart> learningCurves(List<CrossValidation.Run> runs, String title) {
        XYChart loss = new XYChartBuilder().width(640).height(380).title(title + ": training loss").xAxisTitle("epoch").yAxisTitle("loss").build();
        XYChart ua = new XYChartBuilder().width(640).height(380).title(title + ": dev UA").xAxisTitle("epoch").yAxisTitle("UA (%)").build();
        for (XYChart c : List.of(loss, ua)) {
            c.getStyler().setChartBackgroundColor(Color.WHITE);
            c.getStyler().setLegendVisible(runs.size() <= 12);
            c.getStyler().setMarkerSize(4);
        }
        for (CrossValidation.Run r : runs) {
            List<Trainer.Epoch> h = r.training().history();
            double[] x = h.stream().mapToDouble(Trainer.Epoch::epoch).toArray();
            String name = r.fold() + (runs.stream().anyMatch(o -> o.run() > 1) ? " #" + r.run() : "");
            loss.addSeries(name, x, h.stream().mapToDouble(Trainer.Epoch::trainLoss).toArray()).setMarker(SeriesMarkers.CIRCLE);
            if (h.stream().noneMatch(e -> Double.isNaN(e.devUa())))
                ua.addSeries(name, x, h.stream().mapToDouble(e -> 100 * e.devUa()).toArray()).setMarker(SeriesMarkers.CIRCLE);
        }
        return ua.getSeriesMap().isEmpty() ? List.of(loss) : List.of(loss, ua);
    }

    /** Charts side by side in one PNG, written atomically. */
    static void png(Path file, List<? extends org.knowm.xchart.internal.chartpart.Chart<?, ?>> charts) throws IOException {
        List<BufferedImage> images = new ArrayList<>();
        for (var c : charts) images.add(BitmapEncoder.getBufferedImage(c));
        int w = images.stream().mapToInt(BufferedImage::getWidth).sum(), h = images.stream().mapToInt(BufferedImage::getHeight).max().orElse(1);
        BufferedImage all = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = all.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        int x = 0;
        for (BufferedImage im : images) {
            g.drawImage(im, x, 0, null);
            x += im.getWidth();
        }
        g.dispose();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(all, "png", bytes);
        AtomicFiles.write(file, out -> out.write(bytes.toByteArray()));
    }
}
